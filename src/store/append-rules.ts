import { DuplicateEventIdError, describeExpected, WrongExpectedRevisionError } from '../errors.ts';
import { batchHasher, GENESIS_HASH } from './hash-chain.ts';
import type { AppendResult, EventToAppend, ExpectedRevision, RecordedEvent } from './port.ts';

// The rules every adapter applies the same way: expected revisions, idempotent re-appends, and how a
// recorded event (revision, recorded-at, hash) is built. Only where the events are kept differs.

export interface StreamHead {
  revision: bigint;
  hash: string;
}

/** Throws WrongExpectedRevisionError unless the stream is where the writer expected it. */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  head: StreamHead | null,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && head === null) ||
    (expected === 'stream_exists' && head !== null) ||
    (typeof expected === 'bigint' && head !== null && head.revision === expected);
  if (!ok)
    throw new WrongExpectedRevisionError(streamId, describeExpected(expected), head?.revision ?? 'no_stream');
}

/** The recorded-at of a new event: the clock, but never earlier than the newest event in the log. */
export function nextRecordedAt(now: Date, newestInLog: string | null): string {
  const iso = now.toISOString();
  return newestInLog !== null && newestInLog > iso ? newestInLog : iso;
}

export interface BuiltEvent {
  event: EventToAppend;
  revision: bigint;
  recordedAt: string;
  dataJson: string;
  prevHash: string;
  hash: string;
}

/** Chains a batch onto the stream head: revisions, hashes, and the JSON that will be stored. */
export function buildBatch(
  streamId: string,
  events: EventToAppend[],
  head: StreamHead | null,
  recordedAt: string,
  /** Where the batch's first event will land in the log (its ordinal): given, the hashes are v2. */
  firstPlace?: bigint,
): BuiltEvent[] {
  let revision = head ? head.revision : -1n;
  let prevHash = head ? head.hash : GENESIS_HASH;
  const built: BuiltEvent[] = [];
  const hashOf = batchHasher(streamId, recordedAt, firstPlace);
  for (const event of events) {
    revision += 1n;
    const dataJson = JSON.stringify(event.data);
    const hash = hashOf(
      prevHash,
      revision,
      event.eventId,
      event.type,
      event.schemaVersion,
      event.metadata,
      dataJson,
    );
    built.push({ event, revision, recordedAt, dataJson, prevHash, hash });
    prevHash = hash;
  }
  return built;
}

/** A batch must not name the same event id twice. */
export function assertDistinctIds(events: EventToAppend[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.eventId)) throw new DuplicateEventIdError(e.eventId);
    seen.add(e.eventId);
  }
}

/**
 * Idempotency, as EventStoreDB does it: re-appending a batch whose event ids are already in the stream,
 * in the same order and contiguous, acknowledges the original write and writes nothing. Returns null
 * when none of the ids is known; throws when only some are, or they are elsewhere.
 */
export function idempotentResult(
  streamId: string,
  events: EventToAppend[],
  existing: (RecordedEvent | undefined)[],
): AppendResult | null {
  if (existing.every((e) => e === undefined)) return null;
  const first = existing[0];
  for (let i = 0; i < events.length; i++) {
    const e = existing[i];
    if (
      !e ||
      !first ||
      e.streamId !== streamId ||
      e.revision !== first.revision + BigInt(i) ||
      e.eventId !== events[i]!.eventId
    ) {
      throw new DuplicateEventIdError((e ?? existing.find((x) => x !== undefined))!.eventId);
    }
  }
  const last = existing[existing.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}
