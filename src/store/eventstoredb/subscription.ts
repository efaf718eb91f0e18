import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../port.ts';
import { isSystemEvent, toRecorded } from './mapping.ts';
import { backoffDelay, isInvalidPosition, isRetryable, type RetryPolicy } from './retry.ts';

// A catch-up subscription to $all that survives the server going away.
//
// EventStoreDB subscribes from a position exclusively, like the port's checkpoint, and sends: a
// confirmation, the events after the position, "caught up", then live events. When the stream fails
// with a retryable error (UNAVAILABLE, a dropped connection, a leader change) the subscription waits
// with backoff and subscribes again after the last event it DELIVERED, so nothing is delivered twice
// and nothing is skipped. Events are handed to onEvent one at a time, in order; an async onEvent holds
// the stream back (gRPC flow control) until it settles. System events are skipped.

export interface ResilienceOptions {
  retry: RetryPolicy;
  /** Told about each drop and resubscription, e.g. for logs (the port has no place for them). */
  onReconnect?: (info: { failures: number; delayMs: number; error: unknown; checkpoint: bigint }) => void;
}

export interface SubscriptionSource {
  /** Subscribes to $all after a record position (exclusive), 0n for the start. */
  open: (from: bigint) => AllStreamSubscription;
  /** The last record boundary at or before a position that EventStoreDB refused to start from. */
  boundaryAtOrBefore: (position: bigint) => Promise<bigint>;
}

export function resilientSubscription(
  source: SubscriptionSource,
  options: SubscribeOptions,
  resilience: ResilienceOptions,
): Subscription {
  let checkpoint = options.after;
  let running = true;
  let current: AllStreamSubscription | null = null;
  let wakeFromBackoff: (() => void) | null = null;
  /** Whether the current subscription was confirmed: a failure after that starts the backoff afresh. */
  let confirmed = false;

  /** Where to subscribe from when the checkpoint itself is not a record boundary (see log-index.ts). */
  let startBefore: { checkpoint: bigint; from: bigint } | null = null;

  const startsBefore = (at: bigint) => (startBefore?.checkpoint === at ? startBefore.from : null);

  const followOnce = async (): Promise<void> => {
    const from = startsBefore(checkpoint) ?? checkpoint;
    const sub = source.open(from);
    current = sub;
    sub.on('confirmation', () => {
      confirmed = true;
    });
    // The client announces "caught up" as it parses the message, possibly while events read before it
    // are still buffered: note how many items precede it and report it once those are handled.
    let taken = 0;
    let handled = 0;
    let caughtUpAfter: number | null = null;
    const reportCaughtUp = () => {
      caughtUpAfter = null;
      options.onCaughtUp?.(checkpoint);
    };
    sub.on('caughtUp', () => {
      caughtUpAfter = taken + sub.readableLength;
      if (handled === caughtUpAfter) reportCaughtUp();
    });
    try {
      for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) {
        taken++;
        if (!running) return;
        const event = resolved.event;
        if (event && !isSystemEvent(event) && event.position.commit > checkpoint) {
          const recorded: RecordedEvent = toRecorded(event);
          try {
            const result = options.onEvent(recorded);
            if (result instanceof Promise) await result;
          } catch (error) {
            throw new HandlerFailed(error);
          }
          checkpoint = recorded.position;
        }
        handled++;
        if (caughtUpAfter !== null && handled >= caughtUpAfter) reportCaughtUp();
      }
    } finally {
      current = null;
      sub.removeAllListeners('caughtUp');
      await close(sub);
    }
  };

  const loop = (async () => {
    let failures = 0;
    while (running) {
      confirmed = false;
      try {
        await followOnce();
        // The server ended the stream without an error (e.g. it is shutting down): subscribe again.
        failures = 0;
      } catch (error) {
        if (!running) return;
        if (error instanceof HandlerFailed) throw error.cause;
        if (isInvalidPosition(error) && startsBefore(checkpoint) === null) {
          // Events up to the boundary found are filtered out by their position, as after a resubscription.
          startBefore = { checkpoint, from: await source.boundaryAtOrBefore(checkpoint) };
          continue;
        }
        if (!isRetryable(error)) throw error;
        failures = confirmed ? 1 : failures + 1;
        const delayMs = backoffDelay(resilience.retry, failures);
        resilience.onReconnect?.({ failures, delayMs, error, checkpoint });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, delayMs);
          function done() {
            clearTimeout(timer);
            wakeFromBackoff = null;
            resolve();
          }
          wakeFromBackoff = done;
        });
      }
    }
  })().catch((error: unknown) => {
    running = false;
    if (options.onError) options.onError(error);
    else console.error('subscription stopped:', error);
  });

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      running = false;
      wakeFromBackoff?.();
      if (current) await close(current);
      await loop;
    },
  };
}

/** An error thrown by the caller's onEvent: it stops the subscription, it is never retried. */
class HandlerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the subscription handler failed');
  }
}

/** Cancels the gRPC call (even when the stream object is already destroyed, it may not be) and ends the reader. */
async function close(sub: AllStreamSubscription): Promise<void> {
  await sub.unsubscribe().catch(() => undefined);
  // Cancelling the call does not end the client's stream object: destroy it so a reader returns.
  if (!sub.destroyed) sub.destroy();
}
