import { EventEmitter } from 'node:events';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// The log behind the protocol double (server.ts): what EventStoreDB documents and does for the calls the
// ledger makes, reduced to an in-memory list, so the real client can be tested over real gRPC where no
// server can run. All the nodes of a cluster double share one log (replication is instant). What it keeps
// of EventStoreDB's behaviour:
// - one global log; each event's $all position is a growing byte-like offset with commit = prepare
//   (every gRPC append is an implicit transaction), so positions are sparse, never 1, 2, 3;
// - system events live in $all beside the user's: a $settings event and an $epoch-information event
//   per (re)start or leader election, and $metadata events in $$stream metastreams; readers skip them;
// - expected-version checks and idempotency as EventStoreDB's IndexWriter.CheckCommit does them:
//   with an exact revision or no_stream, the ids at the positions the batch would take are compared
//   (all match: idempotent success; the first differs: wrong expected version; a later one differs:
//   "corrupted idempotency", also answered as wrong expected version); with any or stream_exists,
//   the ids are looked up in the cache of committed ids (here unbounded; in EventStoreDB a bounded
//   LRU, so this idempotency is best-effort there) and must all be known IN THIS STREAM, else the
//   batch is written if the first id is unknown and refused if a later one is. An id used in another
//   stream is NOT refused: EventStoreDB's ids are per-stream idempotency keys;
// - a new stream accepts any or no_stream and refuses stream_exists or an exact revision;
// - $all is read only from a record boundary (or the end): any other position is refused, as
//   EventStoreDB does with "Trying to read from an invalid position";
// - deletion (log-deletion below): a soft delete writes `$tb` = max into the stream's metadata, the
//   stream reads as not found, an append recreates it with its revisions CONTINUING and writes `$tb`
//   = the first new revision (EventStoreDB's SoftUndeleteStream); a tombstone writes a
//   `$streamDeleted` event at revision 2^63-1 and every later read or write of the stream is refused
//   with StreamDeleted. $all keeps every deleted event (nothing is scavenged here).
// Not modelled: other stream metadata ($maxAge, $maxCount, $acl and a caller's own $tb are refused by
// the server), links, projections, scavenging, transactions, replication lag between nodes.

export interface StoredRecord {
  streamId: string;
  revision: bigint;
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB's `created` metadata carries them. */
  created: bigint;
  position: bigint;
}

export interface ProposedEvent {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type ExpectedState =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  /** lastRevision -1n: the stream does not exist; position -1n: nothing was written (an empty append). */
  | { kind: 'written' | 'idempotent'; lastRevision: bigint; position: bigint }
  | { kind: 'wrong_expected_version'; current: bigint | null }
  | { kind: 'stream_deleted' };

/** What a read of one stream finds: its visible events, nothing, or a tombstone. */
export type StreamRead =
  | { kind: 'found'; records: StoredRecord[] }
  | { kind: 'not_found' }
  | { kind: 'deleted' };

/** EventStoreDB's EventNumber.DeletedStream: the tombstone's revision and a soft delete's `$tb`. */
export const DELETED_STREAM = 2n ** 63n - 1n;

export class DoubleLog {
  readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  /** EventStoreDB's committed-events cache: event id -> where it was committed. */
  private readonly committed = new Map<string, { streamId: string; revision: bigint }>();
  /** `$tb` of each stream's latest metadata: the revisions before it are hidden from stream reads. */
  private readonly truncateBefore = new Map<string, bigint>();
  private readonly tombstoned = new Set<string>();
  private nextPosition = 0n;
  private readonly boundaries = new Set<bigint>();
  private epoch = 0;
  /** Emits 'record' with each new StoredRecord. */
  readonly appended = new EventEmitter();

  constructor() {
    this.appended.setMaxListeners(0);
    this.writeSystemEvent('$settings', '$settings', {
      $userStreamAcl: { $r: '$all', $w: '$all' },
      $systemStreamAcl: { $r: '$admins', $w: '$admins' },
    });
  }

  /** Whether $all can be read from this position: where a record starts, or at or past the end. */
  isBoundary(position: bigint): boolean {
    return position >= this.nextPosition || this.boundaries.has(position);
  }

  get endPosition(): bigint {
    return this.nextPosition;
  }

  read(streamId: string): StreamRead {
    if (this.tombstoned.has(streamId)) return { kind: 'deleted' };
    const all = this.streams.get(streamId);
    const before = this.truncateBefore.get(streamId) ?? 0n;
    if (!all || before === DELETED_STREAM) return { kind: 'not_found' };
    return { kind: 'found', records: before === 0n ? all : all.filter((r) => r.revision >= before) };
  }

  /** What a node writes when it starts (or restarts) or is elected leader. */
  startEpoch(): void {
    this.epoch++;
    this.writeSystemEvent('$epoch-information', '$epoch-information', {
      epochNumber: this.epoch,
      epochPosition: this.nextPosition.toString(),
    });
  }

  /** A system event, e.g. `$metadata` in `$$student-1` as setStreamMetadata writes it. */
  writeSystemEvent(streamId: string, type: string, data: unknown, raw?: string): StoredRecord {
    const events = [
      {
        eventId: crypto.randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from(raw ?? JSON.stringify(data)),
        customMetadata: new Uint8Array(),
      },
    ];
    this.write(streamId, events);
    return this.records[this.records.length - 1]!;
  }

  append(streamId: string, expected: ExpectedState, events: ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(streamId)) return { kind: 'stream_deleted' };
    const softDeleted = this.truncateBefore.get(streamId) === DELETED_STREAM;
    const decision = softDeleted
      ? this.checkRecreate(streamId, expected)
      : this.checkCommit(streamId, expected, events);
    if (decision.kind !== 'ok') return decision;
    if (events.length === 0) {
      const stream = this.streams.get(streamId);
      return { kind: 'written', lastRevision: stream ? BigInt(stream.length - 1) : -1n, position: -1n };
    }
    const outcome = this.write(streamId, events);
    // EventStoreDB's SoftUndeleteStream: the old revisions stay hidden, the new ones carry on after them.
    if (softDeleted) this.setTruncateBefore(streamId, outcome.lastRevision - BigInt(events.length) + 1n);
    return outcome;
  }

  /** Soft delete: the stream reads as not found until an append recreates it. */
  deleteStream(streamId: string, expected: ExpectedState): AppendOutcome {
    if (this.tombstoned.has(streamId)) return { kind: 'stream_deleted' };
    const refused = this.checkDelete(streamId, expected);
    if (refused) return refused;
    const record = this.setTruncateBefore(streamId, DELETED_STREAM);
    return { kind: 'written', lastRevision: this.lastRevision(streamId), position: record.position };
  }

  /** Hard delete: a `$streamDeleted` tombstone; the stream can never be read or written again. */
  tombstone(streamId: string, expected: ExpectedState): AppendOutcome {
    if (this.tombstoned.has(streamId)) return { kind: 'stream_deleted' };
    const refused = this.checkDelete(streamId, expected);
    if (refused) return refused;
    const record = this.place(streamId, DELETED_STREAM, {
      eventId: crypto.randomUUID(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      customMetadata: new Uint8Array(),
    });
    this.tombstoned.add(streamId);
    this.appended.emit('record', record);
    return { kind: 'written', lastRevision: DELETED_STREAM, position: record.position };
  }

  private checkDelete(streamId: string, expected: ExpectedState): AppendOutcome | null {
    const current = this.streams.has(streamId) ? this.lastRevision(streamId) : null;
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === null) ||
      (expected.kind === 'stream_exists' && current !== null) ||
      (expected.kind === 'revision' && current === expected.revision);
    return ok ? null : { kind: 'wrong_expected_version', current };
  }

  private checkRecreate(streamId: string, expected: ExpectedState): AppendOutcome | { kind: 'ok' } {
    const last = this.lastRevision(streamId);
    const ok =
      expected.kind === 'any' ||
      expected.kind === 'no_stream' ||
      (expected.kind === 'revision' && expected.revision === last);
    return ok ? { kind: 'ok' } : { kind: 'wrong_expected_version', current: null };
  }

  private setTruncateBefore(streamId: string, before: bigint): StoredRecord {
    // Written by hand: JSON.stringify cannot hold 2^63 - 1 exactly, EventStoreDB's JSON does.
    return this.writeSystemEvent(`$$${streamId}`, '$metadata', null, `{"$tb":${before}}`);
  }

  private lastRevision(streamId: string): bigint {
    const stream = this.streams.get(streamId);
    return stream ? BigInt(stream.length - 1) : -1n;
  }

  private checkCommit(
    streamId: string,
    expected: ExpectedState,
    events: ProposedEvent[],
  ): AppendOutcome | { kind: 'ok' } {
    const stream = this.streams.get(streamId);
    const current = stream ? BigInt(stream.length - 1) : null;
    const refuse = { kind: 'wrong_expected_version', current } as const;
    if (!stream) return expected.kind === 'any' || expected.kind === 'no_stream' ? { kind: 'ok' } : refuse;
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      let first: { revision: bigint } | null = null;
      let last: { revision: bigint } | null = null;
      for (const e of events) {
        const known = this.committed.get(e.eventId);
        if (!known || known.streamId !== streamId) return first ? refuse : { kind: 'ok' };
        first ??= known;
        last = known;
      }
      if (!last) return { kind: 'ok' };
      return this.idempotent(stream, last.revision);
    }
    const from = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (from < current!) {
      let revision = from;
      for (const e of events) {
        revision += 1n;
        if (stream[Number(revision)]?.eventId !== e.eventId) return refuse;
      }
      return this.idempotent(stream, revision);
    }
    if (from > current!) return refuse;
    return { kind: 'ok' };
  }

  private idempotent(stream: StoredRecord[], lastRevision: bigint): AppendOutcome {
    return { kind: 'idempotent', lastRevision, position: stream[Number(lastRevision)]!.position };
  }

  private write(streamId: string, events: ProposedEvent[]) {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const written = events.map((e) => {
      const record = this.place(streamId, BigInt(stream.length), e);
      stream.push(record);
      this.committed.set(e.eventId, { streamId, revision: record.revision });
      return record;
    });
    const last = written[written.length - 1]!;
    if (last.type === '$metadata' && streamId.startsWith('$$')) this.noteMetadata(streamId.slice(2), last);
    for (const r of written) this.appended.emit('record', r);
    return { kind: 'written', lastRevision: last.revision, position: last.position } as const;
  }

  /** Gives a record its $all position: a record's size on disk, roughly (header, names, data, metadata). */
  private place(streamId: string, revision: bigint, e: ProposedEvent): StoredRecord {
    const record: StoredRecord = {
      ...e,
      streamId,
      revision,
      created: BigInt(Date.now()) * 10_000n,
      position: this.nextPosition,
    };
    this.nextPosition += BigInt(
      88 + Buffer.byteLength(streamId) + Buffer.byteLength(e.type) + e.data.length + e.customMetadata.length,
    );
    this.records.push(record);
    this.boundaries.add(record.position);
    return record;
  }

  /** The latest metadata decides what is hidden (only `$tb`: the server refuses other metadata keys). */
  private noteMetadata(streamId: string, record: StoredRecord): void {
    const tb = /"\$tb"\s*:\s*(\d+)/.exec(Buffer.from(record.data).toString('utf8'))?.[1];
    if (tb === undefined) this.truncateBefore.delete(streamId);
    else this.truncateBefore.set(streamId, BigInt(tb));
  }
}
