import { EventEmitter } from 'node:events';
import {
  assertDistinctIds,
  buildBatch,
  checkExpectedRevision,
  idempotentResult,
  nextRecordedAt,
} from './append-rules.ts';
import { catchUpSubscription } from './catch-up.ts';
import { type StoredEvent, verifyLog } from './hash-chain.ts';
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
  VerifyReport,
} from './port.ts';

// The in-memory store, for fast tests. It keeps each event's data as the JSON string it would store,
// so a caller that mutates what it appended or read cannot change the log.

export class MemoryEventStore implements EventStore {
  readonly name = 'memory';
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly appended = new EventEmitter();

  constructor(private readonly clock: () => Date = () => new Date()) {
    this.appended.setMaxListeners(0);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('an append needs at least one event');
    assertDistinctIds(events);
    const stream = this.streams.get(streamId);
    const last = stream?.[stream.length - 1];
    const head = last ? { revision: last.revision, hash: last.hash } : null;
    const known = events.map((e) => this.byId.get(e.eventId));
    const replay = idempotentResult(
      streamId,
      events,
      known.map((e) => e && toRecorded(e)),
    );
    if (replay) return replay;
    checkExpectedRevision(streamId, expected, head);
    const recordedAt = nextRecordedAt(this.clock(), this.log[this.log.length - 1]?.recordedAt ?? null);
    const built = buildBatch(streamId, events, head, recordedAt, BigInt(this.log.length + 1));
    const target = stream ?? [];
    if (!stream) this.streams.set(streamId, target);
    for (const b of built) {
      const stored: StoredEvent = {
        eventId: b.event.eventId,
        type: b.event.type,
        schemaVersion: b.event.schemaVersion,
        metadata: structuredClone(b.event.metadata),
        streamId,
        revision: b.revision,
        position: BigInt(this.log.length + 1),
        recordedAt: b.recordedAt,
        prevHash: b.prevHash,
        hash: b.hash,
        dataJson: b.dataJson,
      };
      this.log.push(stored);
      target.push(stored);
      this.byId.set(stored.eventId, stored);
    }
    this.appended.emit('append');
    const lastBuilt = this.log[this.log.length - 1]!;
    return { nextExpectedRevision: lastBuilt.revision, position: lastBuilt.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? BigInt(stream.length - 1);
      for (let i = Math.min(Number(from), stream.length - 1); i >= 0 && out.length < max; i--) {
        out.push(toRecorded(stream[i]!));
      }
    } else {
      for (let i = Number(options.fromRevision ?? 0n); i < stream.length && out.length < max; i++) {
        out.push(toRecorded(stream[i]!));
      }
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    for (let i = Number(options.after ?? 0n); i < this.log.length && out.length < max; i++) {
      const e = this.log[i]!;
      if (options.toPosition !== undefined && e.position > options.toPosition) break;
      if (options.toRecordedAt !== undefined && e.recordedAt > options.toRecordedAt) break;
      out.push(toRecorded(e));
    }
    return out;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription(
      {
        readAfter: (after, maxCount) => this.readAll({ after, maxCount }),
        onAppend: (listener) => {
          this.appended.on('append', listener);
          return () => this.appended.off('append', listener);
        },
        pollMs: 60_000,
      },
      options,
    );
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.log.length);
  }

  async verify(options: { onProgress?: (n: number) => void } = {}): Promise<VerifyReport> {
    const log = this.log;
    async function* pages() {
      yield log;
    }
    return verifyLog(pages(), { densePositions: true, onProgress: options.onProgress });
  }

  /** For tests of tamper evidence only: the stored form, which a test may alter behind the store's back. */
  unsafeStoredEvents(): StoredEvent[] {
    return this.log;
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}

function toRecorded(e: StoredEvent): RecordedEvent {
  const { dataJson, ...rest } = e;
  return { ...rest, metadata: structuredClone(e.metadata), data: JSON.parse(dataJson) };
}
