import { z } from 'zod';

// The envelope every fact travels in, whatever its type: who recorded it and in which role, when it
// happened, what it was caused by, and where the store put it. The store, the domain and authentication
// all read these shapes from here; `data` is the event's own schema (the catalogue, events/index.ts).

export const Role = z.enum(['registry', 'tutor', 'examiner', 'admin', 'student', 'system']);
export type Role = z.infer<typeof Role>;

export const Actor = z.object({ id: z.string().min(1), role: Role });
export type Actor = z.infer<typeof Actor>;

/** A stream revision (from 0) and a global log position: bigints inside the ledger, decimal strings in JSON. */
export const Revision = z.bigint().min(0n);
export const Position = z.bigint().min(0n);

export const EventMetadata = z.object({
  actor: Actor,
  /** When the fact happened, an ISO date-time with its Europe/London offset. */
  occurredAt: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

export const EventToAppend = z.object({
  /** uuid v7, chosen by the writer so that a retried append is idempotent. */
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().min(1),
  data: z.unknown(),
  metadata: EventMetadata,
});
export type EventToAppend = z.infer<typeof EventToAppend>;

export const RecordedEvent = EventToAppend.extend({
  streamId: z.string().min(1),
  revision: Revision,
  position: Position,
  /** When the store appended it (UTC ISO, never earlier than the event before it in the log). */
  recordedAt: z.string(),
  /**
   * The hash of the event before it in the stream. Stores that keep it return it; the SQLite store does
   * not store it twice (it is the previous event's `hash`), and `verify` recomputes it from the chain.
   */
  prevHash: z.string().optional(),
  hash: z.string(),
});
export type RecordedEvent = z.infer<typeof RecordedEvent>;
