import {
  type AllStreamResolvedEvent,
  type BinaryEventData,
  type ResolvedEvent,
  START,
} from '@eventstore/db-client';
import { z } from 'zod';
import { invalid, LedgerError } from '../../errors.ts';
import type { BuiltEvent } from '../append-rules.ts';
import type { StoredEvent } from '../hash-chain.ts';
import type { RecordedEvent, Role } from '../port.ts';

// How a ledger event is kept in EventStoreDB, both ways.
//
// Data: the exact bytes of JSON.stringify(data), as a binary event. The hash covers those bytes, and a
// binary event hands them back untouched, so verify() recomputes from what is stored. (A JSON event
// would make the client stringify on write and parse on read: the bytes could not be checked.)
//
// Metadata (the event's custom metadata, JSON): actor, occurred-at, correlation and causation ids,
// schema version, recorded-at and both hashes. `$correlationId` and `$causationId` repeat the ids under
// the names EventStoreDB's own projections read ($by_correlation_id).
//
// Position: the port's single bigint position is the $all commit position. Every event written through
// gRPC is committed implicitly, so its commit and prepare positions are equal and the pair can be
// rebuilt from one number.

export const LedgerMetadata = z.object({
  actor: z.object({ id: z.string(), role: z.string() }),
  occurredAt: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  schemaVersion: z.number().int(),
  recordedAt: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type LedgerMetadata = z.infer<typeof LedgerMetadata>;

/** EventStoreDB keeps event ids as GUIDs and returns them in lower case: the hash covers that form. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function assertLedgerStream(streamId: string): void {
  if (streamId.length === 0 || streamId.startsWith('$'))
    throw invalid('invalid_stream_name', [
      { field: 'streamId', reason: `"${streamId}" is empty or a system stream name (starting with $)` },
    ]);
}

export function assertEventId(eventId: string): void {
  if (!EVENT_ID.test(eventId))
    throw invalid('invalid_event_id', [
      {
        field: 'eventId',
        reason: `"${eventId}" is not a lower-case UUID (EventStoreDB returns ids in that form)`,
      },
    ]);
}

/** System events ($-prefixed types or streams: $metadata, $settings, $epoch-information, links) are not the ledger's. */
export function isSystemEvent(e: { streamId: string; type: string }): boolean {
  return e.streamId.startsWith('$') || e.type.startsWith('$');
}

export function fromPosition(position: bigint) {
  return position === 0n ? START : { commit: position, prepare: position };
}

export function toEventData(b: BuiltEvent): BinaryEventData {
  const m = b.event.metadata;
  const metadata: LedgerMetadata & Record<string, unknown> = {
    actor: { id: m.actor.id, role: m.actor.role },
    occurredAt: m.occurredAt,
    correlationId: m.correlationId,
    causationId: m.causationId,
    schemaVersion: b.event.schemaVersion,
    recordedAt: b.recordedAt,
    prevHash: b.prevHash,
    hash: b.hash,
    $correlationId: m.correlationId,
  };
  if (m.causationId !== null) metadata.$causationId = m.causationId;
  return {
    id: b.event.eventId,
    contentType: 'application/octet-stream',
    type: b.event.type,
    data: Buffer.from(b.dataJson, 'utf8'),
    metadata,
  };
}

/** A raw event as the client hands it over, whatever the read it came from. */
type ClientEvent = NonNullable<ResolvedEvent['event'] | AllStreamResolvedEvent['event']>;

/** The stored form of a ledger event: data still in the exact bytes that were hashed. */
export function toStored(e: ClientEvent): StoredEvent {
  const parsed = LedgerMetadata.safeParse(e.metadata);
  if (!parsed.success || !(e.data instanceof Uint8Array) || e.position === undefined)
    throw new LedgerError(
      'integrity',
      'foreign_event',
      `event ${e.id} (${e.streamId}@${e.revision}) was not written by the ledger: it lacks the ledger's metadata or binary data`,
      { eventId: e.id, streamId: e.streamId, revision: String(e.revision) },
    );
  const m = parsed.data;
  return {
    eventId: e.id,
    type: e.type,
    schemaVersion: m.schemaVersion,
    metadata: {
      actor: { id: m.actor.id, role: m.actor.role as Role },
      occurredAt: m.occurredAt,
      correlationId: m.correlationId,
      causationId: m.causationId,
    },
    streamId: e.streamId,
    revision: e.revision,
    position: e.position.commit,
    recordedAt: m.recordedAt,
    prevHash: m.prevHash,
    hash: m.hash,
    dataJson: Buffer.from(e.data).toString('utf8'),
  };
}

export function toRecorded(e: ClientEvent): RecordedEvent {
  const { dataJson, ...rest } = toStored(e);
  return { ...rest, data: JSON.parse(dataJson) };
}
