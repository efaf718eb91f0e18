import type { EventToAppend, RecordedEvent, Role } from './port.ts';

// Turning a stored row into a RecordedEvent, shared by the SQLite store's reads and its read-ahead.
//
// Values that repeat from event to event (the actor, the occurred-at of a day, the recorded-at of a
// batch) are shared rather than held once per event: the live projections keep them for every event, and
// at a million events the copies were a third of the heap and much of a rebuild's garbage-collection
// time. Bounded: past LIMIT distinct values each map starts again.
const SHARED_LIMIT = 50_000;
const actors = new Map<string, { id: string; role: Role }>();
const instants = new Map<string, string>();

function sharedActor(id: string, role: Role): { id: string; role: Role } {
  const known = actors.get(id);
  if (known !== undefined && known.role === role) return known;
  if (actors.size >= SHARED_LIMIT) actors.clear();
  const actor = { id, role };
  actors.set(id, actor);
  return actor;
}

function sharedInstant(iso: string): string {
  const known = instants.get(iso);
  if (known !== undefined) return known;
  if (instants.size >= SHARED_LIMIT) instants.clear();
  instants.set(iso, iso);
  return iso;
}

/** A batch's events share their recorded-at, so the previous row's is the first guess. */
let lastRecordedAt = '';
function sharedRecordedAt(iso: string): string {
  if (iso !== lastRecordedAt) lastRecordedAt = sharedInstant(iso);
  return lastRecordedAt;
}

/** Revisions are small numbers every stream shares: one bigint for each (streams rarely pass 1024 events). */
const REVISIONS = Array.from({ length: 1024 }, (_, i) => BigInt(i));
const revisionOf = (n: number) => (n < REVISIONS.length ? REVISIONS[n]! : BigInt(n));

/** The metadata column: a compact JSON array [actor id, actor role, occurred-at, correlation id, causation id]. */
export type MetaRow = [string, Role, string, string, string | null];

export function metadataOf(m: MetaRow): EventToAppend['metadata'] {
  return {
    actor: sharedActor(m[0], m[1]),
    occurredAt: sharedInstant(m[2]),
    correlationId: m[3],
    causationId: m[4],
  };
}

/** A stored row, its data and metadata already parsed from their JSON. */
export function fromRow(
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  meta: MetaRow,
  recordedAt: string,
  hash: string,
): RecordedEvent {
  return {
    position: BigInt(position),
    streamId,
    revision: revisionOf(revision),
    eventId,
    type,
    schemaVersion,
    data,
    metadata: metadataOf(meta),
    recordedAt: sharedRecordedAt(recordedAt),
    hash,
  };
}
