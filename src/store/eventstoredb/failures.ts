import { AccessDeniedError, StreamDeletedError } from '@eventstore/db-client';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { LedgerError } from '../../errors.ts';
import { isRetryable, type RetryPolicy, withRetry } from './retry.ts';

// What EventStoreDB's refusals mean to the ledger, in one place. Each becomes a LedgerError that says
// what is wrong and what the operator can do:
// - unreachable after the retries (the node or the whole cluster is down, no leader is elected):
//   `unavailable` / store_unavailable;
// - the ledger's user lacks a right (AccessDenied), or its credentials are refused: `unavailable` /
//   store_access_denied or store_login_refused, naming the right and the user. The ledger cannot work
//   around a missing right, so nothing retries it; start-up checks the rights first (access-check.ts);
// - a stream was deleted or tombstoned behind the ledger's back: `integrity` / stream_deleted. The
//   ledger never deletes, so this is a broken record, not a state to carry on from.

/** A request's purpose, as the right it needs: "read $all", "write to stream student-1" ... */
export type Right = string;

export class EsdbFailures {
  constructor(
    private readonly retry: RetryPolicy,
    /** The user the connection string logs in as (null: none, the client connects anonymously). */
    private readonly user: string | null,
  ) {}

  /** Retries a request that is safe to repeat, and turns what still fails into a ledger error. */
  async guard<T>(right: Right, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(this.retry, request);
    } catch (error) {
      throw this.translate(error, right);
    }
  }

  translate(error: unknown, right: Right): unknown {
    if (error instanceof LedgerError) return error;
    if (error instanceof StreamDeletedError)
      return streamDeleted(error.streamName ?? '(unknown stream)', 'tombstoned');
    if (error instanceof AccessDeniedError) return this.accessDenied(error, right);
    if (isRetryable(error))
      return new LedgerError(
        'unavailable',
        'store_unavailable',
        `EventStoreDB is unreachable: ${(error as Error).message}`,
      );
    return error;
  }

  private accessDenied(error: AccessDeniedError, right: Right): LedgerError {
    const who =
      this.user === null ? 'an anonymous user (the connection string names no user)' : `user "${this.user}"`;
    if (error.code === GrpcStatus.UNAUTHENTICATED)
      return new LedgerError(
        'unavailable',
        'store_login_refused',
        `EventStoreDB refused the login of ${who}: check the user and password in ESDB_CONNECTION_STRING`,
        { user: this.user },
      );
    return new LedgerError(
      'unavailable',
      'store_access_denied',
      `EventStoreDB denied ${who} the right to ${right}: grant it (see "Running on EventStoreDB" in the README)`,
      { user: this.user, right },
    );
  }
}

export type DeletionKind = 'soft-deleted' | 'tombstoned' | 'truncated';

export function streamDeleted(streamId: string, how: DeletionKind, detail = ''): LedgerError {
  return new LedgerError(
    'integrity',
    'stream_deleted',
    `stream ${streamId} was ${how} in EventStoreDB${detail}; the ledger never deletes events, so it will not ` +
      'read or write the stream as if nothing had happened: restore it from a backup, or record the loss',
    { streamId, how },
  );
}

/** The user named in a connection string (`esdb://user:password@host...`), or null. */
export function connectionUser(connectionString: string): string | null {
  const match = /^esdb(?:\+discover)?:\/\/([^:@/?]+)(?::[^@/?]*)?@/.exec(connectionString);
  return match ? decodeURIComponent(match[1]!) : null;
}
