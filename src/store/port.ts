import type { EventToAppend, RecordedEvent } from '../../events/envelope.ts';

export type { Actor, EventMetadata, EventToAppend, RecordedEvent, Role } from '../../events/envelope.ts';

// The event-store port. Its semantics follow EventStoreDB's so that the EventStoreDB adapter is a thin
// mapping: streams with 0-based revisions, one global order, expected revisions, idempotent event ids.
// Revisions and positions are bigint everywhere inside the ledger; they become strings only at the
// JSON boundary (src/app/json.ts). The events' envelope (actor, metadata, recorded event) is the catalogue's
// (events/envelope.ts); the port re-exports it for its adapters.

export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

export const NO_STREAM = 'no_stream' as const;
export const ANY = 'any' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** The global position of the last event appended. */
  position: bigint;
  /**
   * The events appended (or, for a replay, found), exactly as a read would return them, where the store
   * has them at hand (the SQLite store builds them only if asked): a writer need not read them again.
   */
  readonly recorded?: RecordedEvent[];
}

export interface BrokenLink {
  streamId: string;
  revision: bigint;
  position: bigint;
  eventId: string;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  /** The first broken link in global order, if any. */
  broken: BrokenLink | null;
  /** A digest of every stream's head hash: record it (e.g. in the exam-board minutes) to anchor the log. */
  headDigest: string;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive checkpoint: events with position > after. 0n (the default) reads from the start. */
  after?: bigint;
  maxCount?: number;
  /** Inclusive upper bound on position ("as known at" this position). */
  toPosition?: bigint;
  /** Inclusive upper bound on recorded-at ("as known at" this time), an ISO date-time. */
  toRecordedAt?: string;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint; 0n starts from the beginning of the log. */
  after: bigint;
  onEvent: (event: RecordedEvent) => void | Promise<void>;
  /** Called each time the subscription has delivered everything in the log and starts waiting. */
  onCaughtUp?: (position: bigint) => void;
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Position of the last event delivered. */
  readonly checkpoint: bigint;
  stop(): Promise<void>;
}

export interface EventStore {
  readonly name: string;
  /** The page size this store reads the log best in (readAllPages uses it); PAGE_SIZE when absent. */
  readonly pageSize?: number;
  /** Walks the log and reports the first broken link in the hash chain (src/store/hash-chain.ts). */
  verify(options?: { onProgress?: (eventsChecked: number) => void }): Promise<VerifyReport>;
  append(
    streamId: string,
    events: EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;
  /** Reading a stream that does not exist gives an empty list. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional: the log after a position, read ahead of the caller on another thread (for rebuilds). It
   * ends where the log ended when it got there; null when this store cannot do it.
   */
  readAllAhead?(after: bigint): AsyncIterable<RecordedEvent[]> | null;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** The position of the last event in the log (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

/** A readAll page size that keeps memory flat while still amortising per-call cost. */
export const PAGE_SIZE = 4096;

/** Every event in global order, page by page. */
export async function* readAllPages(
  store: EventStore,
  options: Omit<ReadAllOptions, 'maxCount'> & { pageSize?: number } = {},
): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? store.pageSize ?? PAGE_SIZE;
  let after = options.after ?? 0n;
  for (;;) {
    const page = await store.readAll({ ...options, after, maxCount: pageSize });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.position;
    if (page.length < pageSize) return;
  }
}
