import type { RecordedEvent, SubscribeOptions, Subscription } from './port.ts';
import { PAGE_SIZE } from './port.ts';

// One catch-up subscription for the embedded stores: read pages from the checkpoint until the log is
// exhausted, report "caught up", then sleep until the store says something was appended in this
// process or, for appends made by another process on the same file, until the poll interval passes.

export interface CatchUpSource {
  readAfter(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
  /**
   * Registers a wake-up for appends in this process, which may bring the events written (in position
   * order); returns the unregister function.
   */
  onAppend(listener: (written?: RecordedEvent[]) => void): () => void;
  pollMs: number;
}

export function catchUpSubscription(source: CatchUpSource, options: SubscribeOptions): Subscription {
  let checkpoint = options.after;
  let running = true;
  let wake: (() => void) | null = null;
  let dirty = false;
  // Events handed over with a wake-up, used instead of a read when they follow on from the checkpoint
  // with no gap (another process's appends, or anything missed, leave a gap and the log is read).
  let written: RecordedEvent[] = [];
  const unregister = source.onAppend((events) => {
    dirty = true;
    if (events && written.length < PAGE_SIZE) written.push(...events);
    else written = [];
    wake?.();
  });
  const takeWritten = (): RecordedEvent[] | null => {
    const taken = written;
    written = [];
    let i = 0;
    while (i < taken.length && taken[i]!.position <= checkpoint) i++;
    if (i === taken.length || taken[i]!.position !== checkpoint + 1n) return null;
    for (let k = i + 1; k < taken.length; k++)
      if (taken[k]!.position !== taken[k - 1]!.position + 1n) return null;
    return i === 0 ? taken : taken.slice(i);
  };

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
      const page = takeWritten() ?? (await source.readAfter(checkpoint, PAGE_SIZE));
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
