import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { status as GrpcStatus } from '@grpc/grpc-js';

// The client does not retry anything: after UNAVAILABLE it only drops its channel so that the NEXT call
// opens a new one (and, in a cluster, rediscovers the leader by gossip); after NotLeader the next call
// goes to the leader the answer named. Retrying is ours to decide:
// - reads and subscriptions are safe to repeat;
// - appends are safe to repeat because every event carries its id: a repeat of an append that did
//   commit is recognised (by the adapter's id check, and by EventStoreDB's own idempotency) and
//   acknowledged without writing twice. That covers an append answered with Timeout (the client's
//   DeadlineExceededError), which EventStoreDB may or may not have committed.

export interface RetryPolicy {
  /** First wait after a failure, doubled on each further failure up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts for one read or append (the first try included). Subscriptions retry until stopped. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 5 };

/** A transport failure after which the same request may succeed: the server or the connection went away. */
export function isRetryable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError // cancelled by the server (the client's own cancel is never surfaced)
  )
    return true;
  if (!(error instanceof Error)) return false;
  // The client's own words when no node it was given answers gossip with a usable leader, e.g. while a
  // cluster elects one: the next call discovers again.
  if (/^Failed to discover after \d+ attempts/.test(error.message)) return true;
  // The gRPC status underneath (the client keeps it on its errors as `code`), e.g. a reset HTTP/2 stream
  // that the client reports as an UnknownError.
  const code = (error as { code?: unknown }).code;
  const details = String((error as { details?: unknown }).details ?? error.message);
  return (
    code === GrpcStatus.UNAVAILABLE ||
    (code === GrpcStatus.INTERNAL && /RST_STREAM|connection|socket/i.test(details))
  );
}

/** EventStoreDB's answer to a read from a position that is not a record boundary (22.10 and later). */
export function isInvalidPosition(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === GrpcStatus.INVALID_ARGUMENT &&
    /invalid position/i.test(error.message)
  );
}

export function backoffDelay(policy: RetryPolicy, failures: number): number {
  const exponential = policy.initialDelayMs * 2 ** Math.max(0, failures - 1);
  return Math.min(policy.maxDelayMs, exponential);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a request that is safe to repeat, retrying retryable failures with backoff. */
export async function withRetry<T>(policy: RetryPolicy, request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
