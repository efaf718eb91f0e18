import type { RecordedEvent, SubscribeOptions, Subscription } from './port.ts';
import { PAGE_SIZE } from './port.ts';

// One catch-up subscription for the embedded stores: read pages from the checkpoint until the log is
// exhausted, report "caught up", then sleep until the store says something was appended in this
// process or, for appends made by another process on the same file, until the poll interval passes.

export interface CatchUpSource {
  readAfter(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
  /** Registers a wake-up for appends in this process; returns the unregister function. */
  onAppend(listener: () => void): () => void;
  pollMs: number;
}

export function catchUpSubscription(source: CatchUpSource, options: SubscribeOptions): Subscription {
  let checkpoint = options.after;
  let running = true;
  let wake: (() => void) | null = null;
  let dirty = false;
  const unregister = source.onAppend(() => {
    dirty = true;
    wake?.();
  });

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (dirty || !running) return resolve();
      const timer = setTimeout(done, source.pollMs);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    let reportedCaughtUpAt: bigint | null = null;
    while (running) {
      dirty = false;
      const page = await source.readAfter(checkpoint, PAGE_SIZE);
      for (const event of page) {
        if (!running) return;
        const result = options.onEvent(event);
        if (result instanceof Promise) await result;
        checkpoint = event.position;
      }
      if (page.length < PAGE_SIZE) {
        if (reportedCaughtUpAt !== checkpoint) {
          reportedCaughtUpAt = checkpoint;
          options.onCaughtUp?.(checkpoint);
        }
        await sleep();
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
      unregister();
      wake?.();
      await loop;
    },
  };
}
