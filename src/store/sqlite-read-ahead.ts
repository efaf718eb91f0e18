import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from './port.ts';
import { fromRow, type MetaRow } from './row.ts';

// A read of the whole SQLite log that runs ahead of its reader: a worker thread fetches the rows
// (src/store/sqlite-read-ahead-worker.mjs) while the caller applies the previous page, so a rebuild
// uses both cores. At a million events SQLite's fetching was a third of a rebuild's time on one core.
// It reads through its own connection, so it sees the log as committed; anything appended after it
// has passed is for the caller's ordinary reads to pick up.

type Row = [number, string, number, string, string, number, unknown, MetaRow, string, string];

type Message = { text: string; count: number } | { done: true } | { error: string };

/**
 * Pages of 200 events: a page's text (~100 KB) stays small enough for V8 to allocate and drop in the
 * young generation; pages of 1,024 events went to the large-object space, and the extra old-generation
 * collections cost more than the thread saved (a million-event rebuild: ~255k events/s at 1,024, ~300k
 * at 200, on this project's 2-core benchmark machine).
 */
const PAGE_SIZE = 200;
const PAGES_AHEAD = 8;

export async function* readAhead(
  path: string,
  options: { after: bigint; pageSize?: number; pagesAhead?: number },
): AsyncGenerator<RecordedEvent[]> {
  const pagesAhead = options.pagesAhead ?? PAGES_AHEAD;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const worker = new Worker(new URL('./sqlite-read-ahead-worker.mjs', import.meta.url), {
    // Plain JavaScript: none of the parent's loaders (tsx took ~150 ms to start on a worker).
    execArgv: [],
    workerData: { path, after: Number(options.after), pageSize, credit: pagesAhead },
  });
  let after = options.after;
  const creditEvery = Math.max(1, Math.floor(pagesAhead / 2));
  let owed = 0;
  const waiting: Message[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const arrived = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: Message) => {
    waiting.push(m);
    arrived();
  });
  worker.on('error', (error) => {
    failure = error;
    arrived();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the read-ahead worker stopped with code ${code}`);
    arrived();
  });
  try {
    for (;;) {
      if (waiting.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const m = waiting.shift()!;
      if ('done' in m) return;
      if ('error' in m) throw new Error(`reading the log ahead failed: ${m.error}`);
      // credit given back half the window at a time: a message to the worker each page cost as much as
      // parsing a tenth of the log (a million-event rebuild's profile)
      if (++owed >= creditEvery) {
        worker.postMessage(owed);
        owed = 0;
      }
      let rows: Row[];
      try {
        rows = JSON.parse(m.text) as Row[];
      } catch (error) {
        throw new Error(
          `the log after position ${after} holds a row whose data or metadata is not JSON (${(error as Error).message}): run verify`,
        );
      }
      const page = new Array<RecordedEvent>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        page[i] = fromRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
      }
      after = page[page.length - 1]!.position;
      yield page;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
