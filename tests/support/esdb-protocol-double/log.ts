import { EventEmitter } from 'node:events';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// The log behind the protocol double (server.ts): what EventStoreDB documents and does for the calls the
// ledger makes, reduced to an in-memory list, so the real client can be tested over real gRPC where no
// server can run. What it keeps of EventStoreDB's behaviour:
// - one global log; each event's $all position is a growing byte-like offset with commit = prepare
//   (every gRPC append is an implicit transaction), so positions are sparse, never 1, 2, 3;
// - system events live in $all beside the user's: a $settings event and an $epoch-information event
//   per (re)start, and $metadata events in $$stream metastreams; readers must skip them;
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
//   EventStoreDB does with "Trying to read from an invalid position".
// Not modelled: deletion, tombstones, stream metadata semantics (truncation, ACLs), links, projections,
// clustering, scavenging, transactions, security.

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
  | { kind: 'wrong_expected_version'; current: bigint | null };

export class DoubleLog {
  readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  /** EventStoreDB's committed-events cache: event id -> where it was committed. */
  private readonly committed = new Map<string, { streamId: string; revision: bigint }>();
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

  stream(streamId: string): StoredRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /** What a node writes when it starts (or restarts) and becomes leader. */
  startEpoch(): void {
    this.epoch++;
    this.writeSystemEvent('$epoch-information', '$epoch-information', {
      epochNumber: this.epoch,
      epochPosition: this.nextPosition.toString(),
    });
  }

  /** A system event, e.g. `$metadata` in `$$student-1` as setStreamMetadata writes it. */
  writeSystemEvent(streamId: string, type: string, data: unknown): StoredRecord {
    const id = crypto.randomUUID();
    const events = [
      {
        eventId: id,
        type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(data)),
        customMetadata: new Uint8Array(),
      },
    ];
    this.write(streamId, events);
    return this.records[this.records.length - 1]!;
  }

  append(streamId: string, expected: ExpectedState, events: ProposedEvent[]): AppendOutcome {
    const decision = this.checkCommit(streamId, expected, events);
    if (decision.kind !== 'ok') return decision;
    if (events.length === 0) {
      const stream = this.streams.get(streamId);
      return { kind: 'written', lastRevision: stream ? BigInt(stream.length - 1) : -1n, position: -1n };
    }
    return this.write(streamId, events);
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

  private write(streamId: string, events: ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const created = BigInt(Date.now()) * 10_000n;
    let last: StoredRecord | null = null;
    for (const e of events) {
      const record: StoredRecord = {
        ...e,
        streamId,
        revision: BigInt(stream.length),
        created,
        position: this.nextPosition,
      };
      // A record's size on disk, roughly: header, names, data and metadata.
      this.nextPosition += BigInt(
        88 +
          Buffer.byteLength(streamId) +
          Buffer.byteLength(e.type) +
          e.data.length +
          e.customMetadata.length,
      );
      stream.push(record);
      this.records.push(record);
      this.boundaries.add(record.position);
      this.committed.set(e.eventId, { streamId, revision: record.revision });
      last = record;
    }
    for (const r of this.records.slice(this.records.length - events.length)) this.appended.emit('record', r);
    return { kind: 'written', lastRevision: last!.revision, position: last!.position };
  }
}
