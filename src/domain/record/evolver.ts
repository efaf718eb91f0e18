import type { EventType, LedgerEvent } from '../../../events/index.ts';
import type { EventRef } from '../rules/schema.ts';
import type { StudentRecord } from './types.ts';

export type EventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;

/** Folds one event of type T into a record it mutates (an immer draft, or a projection's own record). */
export type Evolver<T extends EventType> = (record: StudentRecord, event: EventOf<T>, ref: EventRef) => void;

/** One evolver per event type: the compiler refuses an event type the student record does not handle. */
export type Evolvers = { [T in EventType]: Evolver<T> };
