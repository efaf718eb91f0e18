import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { BrokenLink, EventMetadata, EventStore, RecordedEvent, VerifyReport } from './port.ts';
import { readAllPages } from './port.ts';

// verify's report is part of the port's contract; named here too for the adapters that build one.
export type { BrokenLink, VerifyReport } from './port.ts';

// Tamper evidence: each event's hash covers its content and the hash of the event before it in the
// same stream. The chain is per stream, not global, because the order between streams is only known
// once EventStoreDB commits, while a stream's order is fixed by the expected revision the writer
// checked: a per-stream chain can be computed by any writer before it appends, on every adapter.
//
// Two formats, told apart by the hash itself:
// - v1 (64 hex digits): the event's stream, revision and content. EventStoreDB's adapter still writes
//   it, because the commit position is known only after the write; its log is anchored by signed
//   checkpoints (src/store/checkpoints.ts).
// - v2 ("v2:" and 64 hex digits): v1 plus the event's place in the whole log, its ordinal 1, 2, 3 ...
//   (the SQLite and memory stores' position). An event moved, or a log renumbered after a deletion,
//   no longer matches its hash. The ordinal rather than a store position, so a log copied in order to
//   EventStoreDB (a migration) still verifies there.
// Events keep the format they were written with and verify under it.

export const V2_PREFIX = 'v2:';

/** The format of a stored hash: 2 for "v2:<hex>", 1 for bare hex. */
export function hashFormatOf(hash: string): 1 | 2 {
  return hash.startsWith(V2_PREFIX) ? 2 : 1;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface HashInput {
  prevHash: string;
  streamId: string;
  revision: bigint;
  eventId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  metadata: EventMetadata;
  /** The data exactly as stored: the hash covers these bytes, so no canonical form is needed. */
  dataJson: string;
  /** The event's ordinal in the log (v2); absent, the hash is v1. */
  place?: bigint;
}

/** SHA-256 as hex; the one-shot crypto.hash (Node 20.12 on) is twice as fast as a Hash object for one event. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex');

// A JSON array header is unambiguous (no field can run into the next), and it holds no raw newline, so
// the newline that follows cleanly separates it from the data. The header is exactly
// JSON.stringify([...fields]), built by hand because this runs for every event appended: only the
// free-text fields need escaping; the hashes, revision and version are already plain.
const q = JSON.stringify;

function metadataPart(m: EventMetadata): string {
  return (
    `${q(m.actor.id)},${q(m.actor.role)},${q(m.occurredAt)},` +
    `${q(m.correlationId)},${m.causationId === null ? 'null' : q(m.causationId)}`
  );
}

function hashOf(
  prevHash: string,
  streamPart: string,
  revision: bigint,
  eventId: string,
  type: string,
  schemaVersion: number,
  recordedPart: string,
  metaPart: string,
  dataJson: string,
  place: bigint | undefined,
): string {
  const fields = `"${prevHash}",${streamPart},"${revision}",${q(eventId)},${q(type)},${schemaVersion},${recordedPart},${metaPart}`;
  return place === undefined
    ? sha256Hex(`[${fields}]\n${dataJson}`)
    : V2_PREFIX + sha256Hex(`["v2","${place}",${fields}]\n${dataJson}`);
}

export function eventHash(e: HashInput): string {
  return hashOf(
    e.prevHash,
    q(e.streamId),
    e.revision,
    e.eventId,
    e.type,
    e.schemaVersion,
    q(e.recordedAt),
    metadataPart(e.metadata),
    e.dataJson,
    e.place,
  );
}

/**
 * The hash a stored event should have, in the format its stored hash claims: a v2 hash is recomputed at
 * `ordinal`, by default the event's position (true of the embedded stores, whose positions run 1, 2, 3).
 */
export function recomputedHash(
  e: Omit<HashInput, 'prevHash' | 'place'> & { hash: string; position: bigint },
  prevHash: string,
  ordinal: bigint = e.position,
): string {
  return eventHash({ ...e, prevHash, place: hashFormatOf(e.hash) === 2 ? ordinal : undefined });
}

/**
 * eventHash for the events of one append, which share their stream and recorded-at, and usually a
 * command's metadata: those parts of the header are quoted once, not once an event.
 */
export function batchHasher(
  streamId: string,
  recordedAt: string,
  /** The ordinal of the batch's first event, for v2 hashes; absent, the hashes are v1. */
  firstPlace?: bigint,
): (
  prevHash: string,
  revision: bigint,
  eventId: string,
  type: string,
  schemaVersion: number,
  metadata: EventMetadata,
  dataJson: string,
) => string {
  const streamPart = q(streamId);
  const recordedPart = q(recordedAt);
  let last: EventMetadata | null = null;
  let metaPart = '';
  let place = firstPlace;
  return (prevHash, revision, eventId, type, schemaVersion, m, dataJson) => {
    if (last === null || !sameMetadata(last, m)) {
      last = m;
      metaPart = metadataPart(m);
    }
    return hashOf(
      prevHash,
      streamPart,
      revision,
      eventId,
      type,
      schemaVersion,
      recordedPart,
      metaPart,
      dataJson,
      place === undefined ? undefined : place++,
    );
  };
}

/** Two events' metadata are the same values (events of one command usually share one object). */
export function sameMetadata(a: EventMetadata, b: EventMetadata): boolean {
  return (
    a === b ||
    (a.actor.id === b.actor.id &&
      a.actor.role === b.actor.role &&
      a.occurredAt === b.occurredAt &&
      a.correlationId === b.correlationId &&
      a.causationId === b.causationId)
  );
}

/** An event as stored, with its data still in the exact bytes that were hashed. */
export type StoredEvent = Omit<RecordedEvent, 'data'> & { dataJson: string };

export interface VerifyOptions {
  /** Positions must run 1, 2, 3 ... with no gap (true for the embedded stores). */
  densePositions?: boolean;
  /** For dense stores: the highest position ever issued, to catch the deletion of the newest events. */
  highestIssuedPosition?: bigint;
  onProgress?: (eventsChecked: number) => void;
}

/** For stores that hand back parsed data: re-serialising gives the stored bytes (JSON.stringify wrote them). */
export async function* storedPages(store: EventStore): AsyncGenerator<StoredEvent[]> {
  for await (const page of readAllPages(store)) {
    yield page.map((e) => ({ ...e, dataJson: JSON.stringify(e.data) }));
  }
}

/** Walks the whole log in global order and reports the first broken link. */
export async function verifyLog(
  pages: AsyncIterable<StoredEvent[]>,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const heads = new Map<string, { revision: bigint; hash: string }>();
  let checked = 0;
  let lastPosition = 0n;
  let sawV2 = false;
  let broken: BrokenLink | null = null;
  const fail = (e: StoredEvent, reason: string) => {
    broken = { streamId: e.streamId, revision: e.revision, position: e.position, eventId: e.eventId, reason };
  };
  outer: for await (const page of pages) {
    for (const e of page) {
      if (options.densePositions && e.position !== lastPosition + 1n) {
        fail(e, `positions jump from ${lastPosition} to ${e.position}: events were removed`);
        break outer;
      }
      lastPosition = e.position;
      const head = heads.get(e.streamId);
      const expectedRevision = head ? head.revision + 1n : 0n;
      if (e.revision !== expectedRevision) {
        fail(e, `revision ${e.revision} follows ${head ? head.revision : 'nothing'} in its stream`);
        break outer;
      }
      const expectedPrev = head ? head.hash : GENESIS_HASH;
      if (e.prevHash !== undefined && e.prevHash !== expectedPrev) {
        fail(e, 'its previous-hash does not match the hash of the event before it in the stream');
        break outer;
      }
      const format = hashFormatOf(e.hash);
      if (format === 2) sawV2 = true;
      else if (sawV2 && options.densePositions) {
        // The embedded stores write v2 from the first event they write in that format on.
        fail(
          e,
          'its hash is in the older v1 format after events in v2: it was re-hashed without its position',
        );
        break outer;
      }
      // Recomputed over the chain as it should be: an altered earlier event changes every later hash.
      // A v2 hash covers the event's ordinal in the log, so an event moved or renumbered fails here.
      const recomputed = recomputedHash(e, expectedPrev, BigInt(checked + 1));
      if (recomputed !== e.hash) {
        fail(e, 'its content does not match its hash: the event was altered after it was written');
        break outer;
      }
      heads.set(e.streamId, { revision: e.revision, hash: e.hash });
      checked++;
    }
    options.onProgress?.(checked);
  }
  if (
    !broken &&
    options.densePositions &&
    options.highestIssuedPosition !== undefined &&
    options.highestIssuedPosition > lastPosition
  ) {
    broken = {
      streamId: '(end of log)',
      revision: -1n,
      position: lastPosition + 1n,
      eventId: '',
      reason: `positions up to ${options.highestIssuedPosition} were issued but the log ends at ${lastPosition}: the newest events were removed`,
    };
  }
  const digest = createHash('sha256');
  for (const [stream, head] of [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    digest.update(`${stream}\t${head.revision}\t${head.hash}\n`);
  }
  return {
    ok: broken === null,
    eventsChecked: checked,
    streamsChecked: heads.size,
    broken,
    headDigest: digest.digest('hex'),
  };
}
