import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { describeExpected, invalid, WrongExpectedRevisionError } from '../errors.ts';
import {
  assertDistinctIds,
  type BuiltEvent,
  buildBatch,
  checkExpectedRevision,
  idempotentResult,
  nextRecordedAt,
} from './append-rules.ts';
import { checkAccess } from './eventstoredb/access-check.ts';
import { describeDeletion } from './eventstoredb/deletions.ts';
import { connectionUser, EsdbFailures, streamDeleted } from './eventstoredb/failures.ts';
import { importRecorded } from './eventstoredb/import.ts';
import { LogIndex } from './eventstoredb/log-index.ts';
import {
  assertEventId,
  assertLedgerStream,
  fromPosition,
  isSystemEvent,
  toEventData,
  toRecorded,
} from './eventstoredb/mapping.ts';
import { LEADER_ONLY, LogReader, READ_PAGE } from './eventstoredb/reader.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './eventstoredb/retry.ts';
import { type ResilienceOptions, resilientSubscription } from './eventstoredb/subscription.ts';
import { verifyAll } from './eventstoredb/verify.ts';
import type { VerifyReport } from './hash-chain.ts';
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

// The production store: EventStoreDB through @eventstore/db-client (gRPC), one node or a cluster.
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
// Every call requires the leader (eventstoredb/reader.ts). Transport failures, a leader change and an
// append's Timeout are retried here because the client never retries (eventstoredb/retry.ts); what
// EventStoreDB refuses for good becomes a LedgerError (eventstoredb/failures.ts). A deleted stream is
// refused, never written to as if new (eventstoredb/deletions.ts).

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

export class EventStoreDbStore implements EventStore, ImportsRecordedEvents {
  readonly name = 'eventstoredb';
  readonly client: EventStoreDBClient;
  private readonly clock: () => Date;
  private readonly retry: RetryPolicy;
  private readonly maxRaceAttempts: number;
  private readonly reader: LogReader;
  private readonly failures: EsdbFailures;
  private readonly index: LogIndex;
  private readonly subscriptions = new Set<Subscription>();

  /** Connects and checks that the ledger's user holds every right it needs (else a LedgerError naming it). */
  static async open(options: EventStoreDbOptions): Promise<EventStoreDbStore> {
    const store = new EventStoreDbStore(options);
    try {
      await checkAccess(store.client, store.failures);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  constructor(private readonly options: EventStoreDbOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.clock = options.clock ?? (() => new Date());
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.maxRaceAttempts = options.maxRaceAttempts ?? 20;
    this.failures = new EsdbFailures(this.retry, connectionUser(options.connectionString));
    this.reader = new LogReader(this.client, this.retry);
    this.index = new LogIndex((after) => this.reader.scanAll(after, READ_PAGE, 'exact'));
    this.reader.boundaryAtOrBefore = (position) => this.index.boundaryAtOrBefore(position);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertLedgerStream(streamId);
    if (events.length === 0) throw new Error('an append needs at least one event');
    assertDistinctIds(events);
    for (const e of events) assertEventId(e.eventId);
    const release = await this.index.reserve(events.map((e) => e.eventId));
    try {
      return await this.failures.guard(`write to stream ${streamId}`, () =>
        this.appendOnce(streamId, events, expected),
      );
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
      const [head] = await Promise.all([this.reader.readHead(streamId), this.index.catchUp()]);
      this.refuseDeleted(streamId);
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
        ...LEADER_ONLY,
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
      known.map(async (k) =>
        k ? ((await this.reader.readStream(k.streamId, FORWARDS, k.revision, 1)) ?? [])[0] : undefined,
      ),
    );
    return idempotentResult(streamId, events, existing);
  }

  /** A stream the index knows to be deleted or truncated is refused, whatever EventStoreDB would accept. */
  private refuseDeleted(streamId: string): void {
    const deletion = this.index.deletion(streamId);
    if (deletion) throw streamDeleted(streamId, deletion.how, describeDeletion(deletion));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? END : START);
    return this.failures.guard(`read stream ${streamId}`, async () => {
      this.refuseDeleted(streamId);
      const read = await this.reader.readStream(
        streamId,
        backwards ? BACKWARDS : FORWARDS,
        from,
        options.maxCount ?? Number.MAX_SAFE_INTEGER,
      );
      // "Not found" is also what a soft-deleted stream answers: only the index can tell them apart.
      if (read === null) {
        await this.index.catchUp();
        this.refuseDeleted(streamId);
      }
      if (read && from === START && !backwards && read[0] && read[0].revision !== 0n)
        throw streamDeleted(streamId, 'truncated', ` (it now starts at revision ${read[0].revision})`);
      return read ?? [];
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return [];
    const pageSize = Math.max(16, Math.min(READ_PAGE, max + 16));
    return this.failures.guard('read $all', async () => {
      const out: RecordedEvent[] = [];
      for await (const e of this.reader.scanAll(options.after ?? 0n, pageSize)) {
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

  subscribeToAll(options: SubscribeOptions): Subscription {
    const inner = resilientSubscription(
      {
        open: (from) => this.client.subscribeToAll({ fromPosition: fromPosition(from), ...LEADER_ONLY }),
        boundaryAtOrBefore: (position) => this.index.boundaryAtOrBefore(position),
      },
      {
        ...options,
        onError: (error) => {
          this.subscriptions.delete(subscription);
          const failure = this.failures.translate(error, 'subscribe to $all');
          if (options.onError) options.onError(failure);
          else console.error('subscription stopped:', failure);
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

  headPosition(): Promise<bigint> {
    return this.failures.guard('read $all', () => this.reader.headPosition());
  }

  verify(options: { onProgress?: (eventsChecked: number) => void } = {}): Promise<VerifyReport> {
    return this.failures.guard('read $all', () =>
      verifyAll(() => this.reader.scanAll(0n), options.onProgress),
    );
  }

  /** A migration's events, keeping their ids, recorded-at and hashes (see eventstoredb/import.ts). */
  importRecorded(events: RecordedEvent[]): Promise<{ written: number; skipped: number }> {
    return importRecorded(events, {
      failures: this.failures,
      index: this.index,
      readHead: (streamId) => this.reader.readHead(streamId),
      write: (streamId, built, head) => this.write(streamId, built, head),
      refuseDeleted: (streamId) => this.refuseDeleted(streamId),
    });
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
