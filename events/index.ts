import type { z } from 'zod';
import { assessmentEvents } from './assessment.ts';
import { attendanceEvents } from './attendance.ts';
import { awardEvents } from './award.ts';
import { cohortEvents } from './cohort.ts';
import type { EventDefinition } from './define.ts';
import type { RecordedEvent } from './envelope.ts';
import { examBoardEvents } from './exam-board.ts';
import { outcomeEvents } from './outcomes.ts';
import { participationEvents } from './participation.ts';
import { priorLearningEvents } from './prior-learning.ts';
import { registrationEvents } from './registration.ts';
import { EventValidationError, zodIssues } from './validation.ts';
import { visitEvents } from './visits.ts';

export { EventValidationError, type FieldIssue, zodIssues } from './validation.ts';

// The event catalogue: every fact the ledger can record, registered once.

export const allEventDefinitions = [
  ...registrationEvents,
  ...attendanceEvents,
  ...visitEvents,
  ...assessmentEvents,
  ...priorLearningEvents,
  ...outcomeEvents,
  ...participationEvents,
  ...awardEvents,
  ...examBoardEvents,
  ...cohortEvents,
] as const;

type Definitions = (typeof allEventDefinitions)[number];
export type EventType = Definitions['type'];
export type EventDataOf<T extends EventType> = z.infer<Extract<Definitions, { type: T }>['schema']>;

/** A fact as the domain sees it: its type and its data at the current schema version. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventDataOf<T> } }[EventType];

/**
 * A fact as read back from the log: the domain event with where, when and by whom it was recorded.
 * `schemaVersion` stays the version it was stored at; `data` is always upcast to the current version.
 */
export type LedgerEvent = DomainEvent & Omit<RecordedEvent, 'type' | 'data'>;

const byType = new Map<string, EventDefinition>(allEventDefinitions.map((d) => [d.type, d]));

export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export function currentVersion(type: EventType): number {
  return byType.get(type)!.version;
}

/** Validates an event's data against its schema; throws an EventValidationError naming each field. */
export function validateEvent<T extends EventType>(type: T, data: unknown, prefix = 'data'): EventDataOf<T> {
  const definition = byType.get(type);
  if (!definition)
    throw new EventValidationError(
      'unknown_event_type',
      [{ field: 'type', reason: `unknown event type ${type}` }],
      `unknown event type ${type}`,
    );
  const result = definition.schema.safeParse(data);
  if (!result.success) {
    const issues = zodIssues(result.error, prefix);
    throw new EventValidationError(
      'invalid_event',
      issues,
      `${type} refused: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
    );
  }
  return result.data as EventDataOf<T>;
}

/** Lifts stored data from the version it was written at to the current version. */
export function upcast(type: string, storedVersion: number, data: unknown): unknown {
  const definition = byType.get(type);
  if (!definition || storedVersion >= definition.version) return data;
  let lifted = data as Record<string, unknown>;
  for (let v = storedVersion; v < definition.version; v++) lifted = definition.upcasters[v]!(lifted);
  return lifted;
}

/**
 * A recorded event as the domain reads it, upcast to its current version. It takes the event over rather
 * than copying it (stores hand out objects of their own; the SQLite store hands the events it has just
 * written to the writer and to its subscriptions alike): a rebuild reads millions, and a copy each is
 * measurable garbage.
 */
export function toLedgerEvent(e: RecordedEvent): LedgerEvent {
  const definition = byType.get(e.type);
  if (definition) {
    // the catalogue's own string: one copy of each type name, however many events hold it
    e.type = definition.type;
    // An event taken over twice must not be lifted twice (an upcaster expects the older shape).
    if (e.schemaVersion !== definition.version && !lifted.has(e)) {
      e.data = upcast(e.type, e.schemaVersion, e.data);
      lifted.add(e);
    }
  }
  return e as LedgerEvent;
}

const lifted = new WeakSet<RecordedEvent>();
