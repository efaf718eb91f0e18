import { createHash, type Hash } from 'node:crypto';
import { type EventStore, readAllPages } from './port.ts';

// A digest of the whole log up to an event: SHA-256 over one line per event, in log order,
//   `${ordinal}\t${streamId}\t${revision}\t${eventId}\t${hash}\n`
// where the ordinal counts events from 1. Each event's own hash covers its content and its place in its
// stream (and, in format v2, its ordinal), so this digest pins every event up to that point and their
// order: an event removed, added, moved or re-hashed anywhere before it changes it. A signed checkpoint
// (src/store/checkpoints.ts) records it. The ordinal, not the store's position, so a log copied in order
// to another store (a migration) has the same digests.

/** What a line needs; every stored or recorded event has it. */
export interface LogEntry {
  position: bigint;
  streamId: string;
  revision: bigint;
  eventId: string;
  hash: string;
}

export class LogDigest {
  private readonly hash: Hash = createHash('sha256');
  /** Events taken in so far. */
  count = 0;
  /** The store position of the last event taken in (0n before any). */
  position = 0n;

  add(e: LogEntry): void {
    this.count++;
    this.position = e.position;
    this.hash.update(`${this.count}\t${e.streamId}\t${e.revision}\t${e.eventId}\t${e.hash}\n`);
  }

  /** Lines already joined but for their ordinal (`stream\trevision\tevent id\thash`), in log order. */
  addLines(tails: string[], lastPosition: bigint): void {
    let text = '';
    for (const tail of tails) text += `${++this.count}\t${tail}\n`;
    this.hash.update(text);
    this.position = lastPosition;
  }

  /** The digest of everything added so far; adding may go on after it. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** A store that lists its log as the tails of digest lines, without the events' data (the SQLite store). */
export interface ListsLogLines {
  logLines(after: bigint, maxCount: number): { lastPosition: bigint; tails: string[] } | null;
}

function listsLines(store: unknown): store is ListsLogLines {
  return typeof (store as Partial<ListsLogLines>).logLines === 'function';
}

/**
 * Walks the log once, calling `at(count, digest)` when the digest reaches each of the counts asked for
 * (ascending), and returns the running digest at the end of the log, ready to follow later appends.
 */
export async function digestLog(
  store: EventStore,
  counts: number[] = [],
  at: (count: number, digest: string) => void = () => {},
): Promise<LogDigest> {
  const running = new LogDigest();
  let next = 0;
  const reached = () => {
    while (next < counts.length && counts[next]! <= running.count) {
      if (counts[next] === running.count) at(counts[next]!, running.digest());
      next++;
    }
  };
  reached();
  if (listsLines(store)) {
    let after = 0n;
    for (;;) {
      // Pages end where a checkpoint's count falls, so its digest is taken exactly there.
      const until = next < counts.length ? counts[next]! - running.count : 20_000;
      const page = store.logLines(after, Math.min(20_000, Math.max(1, until)));
      if (!page) break;
      running.addLines(page.tails, page.lastPosition);
      after = page.lastPosition;
      reached();
    }
    return running;
  }
  for await (const page of readAllPages(store))
    for (const e of page) {
      running.add(e);
      reached();
    }
  return running;
}
