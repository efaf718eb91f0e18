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

  /** The digest of everything added so far; adding may go on after it. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** A store that can list its log's entries without reading the events' data (the SQLite store). */
export interface ListsLogEntries {
  logEntries(after: bigint, maxCount: number): LogEntry[];
}

function listsEntries(store: unknown): store is ListsLogEntries {
  return typeof (store as Partial<ListsLogEntries>).logEntries === 'function';
}

/** Every entry of the log in order, page by page. */
export async function* logEntries(store: EventStore): AsyncGenerator<LogEntry[]> {
  if (listsEntries(store)) {
    let after = 0n;
    for (;;) {
      const page = store.logEntries(after, 20_000);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.position;
    }
  }
  yield* readAllPages(store);
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
  while (next < counts.length && counts[next]! <= 0) at(counts[next++]!, running.digest());
  for await (const page of logEntries(store)) {
    for (const e of page) {
      running.add(e);
      while (next < counts.length && counts[next] === running.count) at(counts[next++]!, running.digest());
    }
  }
  return running;
}
