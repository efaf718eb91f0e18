import {
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  type ReadPosition,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  describeExpected,
  invalid,
  LedgerError,
  WrongExpectedRevisionError,
} from '../errors.ts';
import {
  assertDistinctIds,
  type BuiltEvent,
  buildBatch,
  checkExpectedRevision,
  idempotentResult,
  nextRecordedAt,
} from './append-rules.ts';
import { LogIndex } from './eventstoredb/log-index.ts';
import {
  assertEventId,
  assertLedgerStream,
  fromPosition,
  isSystemEvent,
  toEventData,
  toRecorded,
  toStored,
} from './eventstoredb/mapping.ts';
import {
  DEFAULT_RETRY,
  isInvalidPosition,
  isRetryable,
  type RetryPolicy,
  withRetry,
} from './eventstoredb/retry.ts';
import { type ResilienceOptions, resilientSubscription } from './eventstoredb/subscription.ts';
import {
  type BrokenLink,
  GENESIS_HASH,
  recomputedHash,
  type StoredEvent,
  type VerifyReport,
  verifyLog,
} from './hash-chain.ts';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from './port.ts';
import { PAGE_SIZE } from './port.ts';

// The production store: EventStoreDB through @eventstore/db-client (gRPC).
//
// Appends: the hash chain is per stream, so the adapter reads the stream head, computes recorded-at and
// the hashes itself, and appends with the exact revision it read. A caller's `any` or `stream_exists`
// becomes that exact revision; losing the race to another writer in between is the adapter's own
// problem and it tries again (bounded). A caller's exact revision or `no_stream` is sent as it is, and
// a refusal is the caller's conflict: WrongExpectedRevisionError.
//
// Event ids follow the port's rules, not EventStoreDB's weaker ones: see eventstoredb/log-index.ts.
// Positions: the $all commit position (see eventstoredb/mapping.ts). System events ($metadata,
// $settings, $epoch-information, links ...) are skipped by every read and by subscriptions.
// Transport failures are retried here because the client never retries: see eventstoredb/retry.ts.

export interface EventStoreDbOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or `esdb://node1:2113,node2:2113,node3:2113` for a cluster. */
  connectionString: string;
  clock?: () => Date;
  retry?: Partial<RetryPolicy>;
  /** Told about each subscription drop and resubscription (the port has no place for it). */
  onReconnect?: ResilienceOptions['onReconnect'];
  /** Attempts for an `any`/`stream_exists` append that keeps losing the read-then-append race. */
  maxRaceAttempts?: number;
}

/** What a migration needs from a target: appending events that were already recorded elsewhere. */
export interface ImportsRecordedEvents {
  importRecorded(events: RecordedEvent[]): Promise<{ written: number; skipped: number }>;
}

/** Events read from $all per request (a page is held in memory whole). */
const READ_PAGE = 256;
/** EventStoreDB refuses an append over 1 MiB by default (MaxAppendSize); imports stay well under it. */
const IMPORT_BATCH_BYTES = 512 * 1024;

interface StreamHead {
  revision: bigint;
  hash: string;
  recordedAt: string;
}

export class EventStoreDbStore implements EventStore, ImportsRecordedEvents {
  readonly name = 'eventstoredb';
  readonly client: EventStoreDBClient;
  private readonly clock: () => Date;
  private readonly retry: RetryPolicy;
  private readonly maxRaceAttempts: number;
  private readonly index: LogIndex;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: EventStoreDbOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.clock = options.clock ?? (() => new Date());
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.maxRaceAttempts = options.maxRaceAttempts ?? 20;
    this.index = new LogIndex((after) => this.scanAll(after, READ_PAGE, 'exact'));
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertLedgerStream(streamId);
    if (events.length === 0) throw new Error('an append needs at least one event');
    assertDistinctIds(events);
    for (const e of events) assertEventId(e.eventId);
    const release = await this.index.reserve(events.map((e) => e.eventId));
    try {
      return await this.guard(() => this.appendOnce(streamId, events, expected));
    } finally {
      release();
    }
  }

  private async appendOnce(
    streamId: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const [head] = await Promise.all([this.readHead(streamId), this.index.catchUp()]);
      const replay = await this.replayOf(streamId, events);
      if (replay) return replay;
      checkExpectedRevision(streamId, expected, head);
      const recordedAt = nextRecordedAt(this.clock(), latest(this.index.newestRecordedAt, head?.recordedAt));
      const built = buildBatch(streamId, events, head, recordedAt);
      try {
        return await this.write(streamId, built, head);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const ownRace = expected === 'any' || expected === 'stream_exists';
        if (ownRace && attempt < this.maxRaceAttempts) continue;
        throw new WrongExpectedRevisionError(streamId, describeExpected(expected), error.actualVersion);
      }
    }
  }

  /** Appends a chained batch at exactly the head it was chained onto. */
  private async write(streamId: string, built: BuiltEvent[], head: { revision: bigint } | null) {
    if (built.some((b) => b.dataJson === undefined))
      throw invalid('invalid_event_data', [{ field: 'data', reason: 'is not JSON' }]);
    try {
      const result = await this.client.appendToStream(streamId, built.map(toEventData), {
        expectedRevision: head ? head.revision : NO_STREAM,
      });
      if (!result.position) throw new Error(`EventStoreDB returned no position for an append to ${streamId}`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError)
        throw invalid('append_too_large', [
          {
            field: 'events',
            reason: `the batch exceeds EventStoreDB's maximum append size (${error.maxAppendSize} bytes)`,
          },
        ]);
      throw error;
    }
  }

  /** The port's idempotency, checked against the adapter's id index (EventStoreDB's own is weaker). */
  private async replayOf(streamId: string, events: EventToAppend[]): Promise<AppendResult | null> {
    const known = events.map((e) => this.index.get(e.eventId));
    if (known.every((k) => k === undefined)) return null;
    const existing = await Promise.all(
      known.map(async (k) => (k ? (await this.readRaw(k.streamId, FORWARDS, k.revision, 1))[0] : undefined)),
    );
    return idempotentResult(streamId, events, existing);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    return this.guard(() =>
      this.readRaw(
        streamId,
        backwards ? BACKWARDS : FORWARDS,
        options.fromRevision ?? (backwards ? END : START),
        options.maxCount ?? Number.MAX_SAFE_INTEGER,
      ),
    );
  }

  private async readRaw(
    streamId: string,
    direction: typeof FORWARDS | typeof BACKWARDS,
    fromRevision: bigint | typeof START | typeof END,
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    let read: ResolvedEvent[];
    try {
      // Read whole, then convert: see scanAll.
      read = await this.client.readStream(streamId, { direction, fromRevision, maxCount }).toArray();
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return read.flatMap((r) => (r.event ? [toRecorded(r.event)] : []));
  }

  private async readHead(streamId: string): Promise<StreamHead | null> {
    const [last] = await this.readRaw(streamId, BACKWARDS, END, 1);
    return last ? { revision: last.revision, hash: last.hash, recordedAt: last.recordedAt } : null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return [];
    const pageSize = Math.max(16, Math.min(READ_PAGE, max + 16));
    return this.guard(async () => {
      const out: RecordedEvent[] = [];
      for await (const e of this.scanAll(options.after ?? 0n, pageSize)) {
        if (isSystemEvent(e)) continue;
        if (options.toPosition !== undefined && e.position.commit > options.toPosition) break;
        const recorded = toRecorded(e);
        // Recorded-at is set by the writers' clocks, so the bound filters rather than cuts the log.
        if (options.toRecordedAt !== undefined && recorded.recordedAt > options.toRecordedAt) continue;
        out.push(recorded);
        if (out.length >= max) break;
      }
      return out;
    });
  }

  /**
   * Every event in $all after a position (exclusive), system events included, page by page. Each page
   * starts AT the last position read (EventStoreDB reads $all inclusively), so that event is skipped.
   * A page is read whole before any of it is handed out: a read abandoned half-way leaves a gRPC call
   * that the client can never dispose of.
   *
   * EventStoreDB reads only from a record boundary. A caller's position usually is one (it came from an
   * event); if not, the read starts one byte later (right for `checkpoint - 1n`), and failing that from
   * the last boundary before it, found in the log index ('exact' is for the index itself).
   */
  private async *scanAll(
    after: bigint,
    pageSize = READ_PAGE,
    start: 'probe' | 'exact' = 'probe',
  ): AsyncGenerator<AllStreamRecordedEvent> {
    let cursor = after;
    let page: AllStreamResolvedEvent[] | null = null;
    for (const from of start === 'exact' || after === 0n ? [after] : [after, after + 1n]) {
      try {
        page = await this.readPage(from, pageSize);
        break;
      } catch (error) {
        if (!isInvalidPosition(error) || start === 'exact') throw error;
      }
    }
    page ??= await this.readPage(await this.index.boundaryAtOrBefore(after), pageSize);
    for (;;) {
      for (const { event } of page) {
        if (!event || event.position.commit <= cursor) continue;
        cursor = event.position.commit;
        yield event;
      }
      const last = page[page.length - 1]?.event;
      if (page.length < pageSize || !last) return;
      page = await this.readPage(last.position.commit, pageSize);
    }
  }

  private readPage(from: bigint, pageSize: number): Promise<AllStreamResolvedEvent[]> {
    return withRetry(this.retry, () =>
      this.client
        .readAll({ fromPosition: fromPosition(from), maxCount: pageSize, direction: FORWARDS })
        .toArray(),
    );
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const inner = resilientSubscription(
      {
        open: (from) => this.client.subscribeToAll({ fromPosition: fromPosition(from) }),
        boundaryAtOrBefore: (position) => this.index.boundaryAtOrBefore(position),
      },
      {
        ...options,
        onError: (error) => {
          this.subscriptions.delete(subscription);
          if (options.onError) options.onError(error);
          else console.error('subscription stopped:', error);
        },
      },
      { retry: this.retry, onReconnect: this.options.onReconnect },
    );
    const subscription: Subscription = {
      get checkpoint() {
        return inner.checkpoint;
      },
      stop: async () => {
        this.subscriptions.delete(subscription);
        await inner.stop();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    return this.guard(async () => {
      // Backwards from the end, past any system events written after the ledger's last one.
      const pageSize = 32;
      let from: ReadPosition = END;
      for (;;) {
        const page: AllStreamResolvedEvent[] = await this.client
          .readAll({ fromPosition: from, direction: BACKWARDS, maxCount: pageSize })
          .toArray();
        for (const { event } of page) {
          if (event && !isSystemEvent(event)) return event.position.commit;
        }
        const last = page[page.length - 1]?.event;
        if (page.length < pageSize || !last) return 0n;
        // Reading backwards from a position returns the events before it.
        from = last.position;
      }
    });
  }

  async verify(options: { onProgress?: (eventsChecked: number) => void } = {}): Promise<VerifyReport> {
    // An event without the ledger's metadata cannot be checked: it is reported as the broken link.
    const found: { foreign?: BrokenLink } = {};
    const scan = () => this.scanAll(0n);
    async function* pages(): AsyncGenerator<StoredEvent[]> {
      found.foreign = undefined;
      let page: StoredEvent[] = [];
      for await (const e of scan()) {
        if (isSystemEvent(e)) continue;
        try {
          page.push(toStored(e));
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error;
          const at = {
            streamId: e.streamId,
            revision: e.revision,
            position: e.position.commit,
            eventId: e.id,
          };
          found.foreign = { ...at, reason: error.message };
          break;
        }
        if (page.length >= PAGE_SIZE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    }
    const report = await this.guard(() =>
      verifyLog(pages(), { densePositions: false, onProgress: options.onProgress }),
    );
    if (!report.ok || !found.foreign) return report;
    return { ...report, ok: false, broken: found.foreign };
  }

  /**
   * Appends events recorded by another store, keeping their ids, recorded-at and hashes (a migration).
   * Each event must continue its stream's chain in this store: the next revision, the previous hash,
   * and a hash that matches its content. Events already here (same id, stream and revision) are
   * skipped, so an interrupted import can be run again. Runs of one stream go in one append each.
   */
  async importRecorded(events: RecordedEvent[]): Promise<{ written: number; skipped: number }> {
    let written = 0;
    let skipped = 0;
    for (const run of runsOfOneStream(events)) {
      const streamId = run[0]!.streamId;
      assertLedgerStream(streamId);
      await this.guard(() => this.index.catchUp());
      const fresh = run.filter((e) => {
        const known = this.index.get(e.eventId);
        if (!known) return true;
        if (known.streamId !== e.streamId || known.revision !== e.revision)
          throw new DuplicateEventIdError(e.eventId);
        skipped++;
        return false;
      });
      if (fresh.length === 0) continue;
      const head = await this.guard(() => this.readHead(streamId));
      const built = chainOnto(streamId, fresh, head);
      await this.guard(() => this.write(streamId, built, head));
      written += built.length;
    }
    return { written, skipped };
  }

  /** Retries a request that is safe to repeat; a store still unreachable after that is `unavailable`. */
  private async guard<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(this.retry, request);
    } catch (error) {
      if (isRetryable(error))
        throw new LedgerError(
          'unavailable',
          'store_unavailable',
          `EventStoreDB is unreachable: ${(error as Error).message}`,
        );
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }
}

function latest(a: string | null, b: string | undefined): string | null {
  if (b === undefined) return a;
  return a === null || b > a ? b : a;
}

/** Consecutive events of one stream, cut so that no append nears EventStoreDB's size limit. */
function* runsOfOneStream(events: RecordedEvent[]): Generator<RecordedEvent[]> {
  let run: RecordedEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e.data)) + 1024;
    if (run.length > 0 && (run[0]!.streamId !== e.streamId || bytes + size > IMPORT_BATCH_BYTES)) {
      yield run;
      run = [];
      bytes = 0;
    }
    run.push(e);
    bytes += size;
  }
  if (run.length > 0) yield run;
}

/** Checks that recorded events continue a stream's chain here and keeps their recorded-at and hashes. */
function chainOnto(streamId: string, events: RecordedEvent[], head: StreamHead | null): BuiltEvent[] {
  let revision = head ? head.revision : -1n;
  let prevHash = head ? head.hash : GENESIS_HASH;
  return events.map((e) => {
    revision += 1n;
    const dataJson = JSON.stringify(e.data);
    const refuse = (reason: string) =>
      new LedgerError(
        'integrity',
        'import_breaks_chain',
        `event ${e.eventId} (${streamId}@${e.revision}) ${reason}`,
        {
          eventId: e.eventId,
          streamId,
        },
      );
    if (e.revision !== revision) throw refuse(`would land at revision ${revision}`);
    if (e.prevHash !== undefined && e.prevHash !== prevHash)
      throw refuse('does not follow the hash of the event before it in the stream');
    if (recomputedHash({ ...e, dataJson }, prevHash) !== e.hash) throw refuse('does not match its hash');
    const built: BuiltEvent = {
      event: {
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
      },
      revision,
      recordedAt: e.recordedAt,
      dataJson,
      prevHash,
      hash: e.hash,
    };
    prevHash = e.hash;
    return built;
  });
}
