import { expect } from 'vitest';
import type { DomainEvent, LedgerEvent } from '../../events/index.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import type { Command } from '../../src/domain/commands.ts';
import type { CohortView, Decided } from '../../src/domain/decide/context.ts';
import { decide } from '../../src/domain/decide/index.ts';
import { foldRecord, type StudentRecord } from '../../src/domain/student-record.ts';
import { LedgerError } from '../../src/errors.ts';
import type { Actor } from '../../src/store/port.ts';

// The decider's tests read as given (events, folded into a record) / when (a command, by someone, on a
// day) / then (the events decided, or a refusal with its code). No store, no clock.

export const reference = loadReferenceData();

export const tutor: Actor = { id: 'tutor-1', role: 'tutor' };
export const registry: Actor = { id: 'registry-1', role: 'registry' };
export const admin: Actor = { id: 'admin-1', role: 'admin' };
export const examiner: Actor = { id: 'examiner-1', role: 'examiner' };

/** A fact in a given history; `eventId` names it where a later command or event refers to it. */
export type Given = DomainEvent & { eventId?: string };

/** The events as the store would hand them back: ids (e0, e1, ... unless named), revisions, positions. */
export function recorded(events: Given[], streamId = 'student-s1', firstPosition = 1n): LedgerEvent[] {
  return events.map(({ eventId, ...e }, i) => ({
    ...e,
    eventId: eventId ?? `e${i}`,
    streamId,
    revision: BigInt(i),
    position: firstPosition + BigInt(i),
    recordedAt: '2024-02-01T10:00:00.000Z',
    metadata: {
      actor: registry,
      occurredAt: '2024-02-01T10:00:00.000+00:00',
      correlationId: 'c',
      causationId: null,
    },
    schemaVersion: 1,
    hash: 'h',
  })) as LedgerEvent[];
}

export const fold = (events: Given[], streamId = 'student-s1'): StudentRecord =>
  foldRecord(streamId, recorded(events, streamId));

export function refusal(attempt: () => unknown): LedgerError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the command was accepted');
}

export interface Setting {
  /**
   * The cohorts the decider can look up (offer, enrolment, sessions, exam boards); by default cohort c1
   * on the blended programme, which held board-1 (2024-07-12) and board-2 (2024-11-15).
   */
  cohorts?: CohortView[];
  /** Today (default 2025-06-30: after every fact the given histories hold). */
  today?: string;
}

export const BOARDS = [
  { examBoardId: 'board-1', heldOn: '2024-07-12', externalExaminers: ['examiner-1'] },
  { examBoardId: 'board-2', heldOn: '2024-11-15', externalExaminers: ['examiner-1'] },
];
const defaultCohorts: CohortView[] = [
  {
    cohortId: 'c1',
    programmeId: 'blended-3module',
    specVersion: 1,
    startsOn: '2024-01-08',
    sessions: [],
    examBoards: BOARDS,
    assessmentWindows: [],
    tutors: new Set(['tutor-1']),
    examiners: new Set(['examiner-1']),
  },
];

export function given(events: Given[], setting: Setting = {}) {
  const record = events.length ? fold(events) : null;
  return {
    record,
    when(command: Command, actor: Actor = tutor) {
      const attempt = () =>
        decide(record, command, {
          actor,
          today: setting.today ?? '2025-06-30',
          reference,
          cohort: (id) => (setting.cohorts ?? defaultCohorts).find((c) => c.cohortId === id),
        });
      return {
        /** The events decided, and (if named) the day they happened on. */
        thenEvents(expected: Given[], occurredOn?: string): Decided[] {
          const decided = attempt();
          expect(decided.map((d) => d.event)).toEqual(expected.map(({ type, data }) => ({ type, data })));
          if (occurredOn) expect(decided.map((d) => d.occurredOn)).toEqual(expected.map(() => occurredOn));
          return decided;
        },
        thenRefused(code: string, details?: Record<string, unknown>): LedgerError {
          return this.thenError('refused', code, details);
        },
        /** A refusal that names the field it concerns (as its one issue, for a page to show beside it). */
        thenRefusedAt(code: string, field: string, details?: Record<string, unknown>): LedgerError {
          const error = this.thenError('refused', code, details);
          expect(error.issues).toEqual([{ field, reason: error.message }]);
          return error;
        },
        thenError(kind: LedgerError['kind'], code: string, details?: Record<string, unknown>): LedgerError {
          const error = refusal(attempt);
          expect({ kind: error.kind, code: error.code }).toEqual({ kind, code });
          if (details) expect(error.details).toMatchObject(details);
          return error;
        },
      };
    },
  };
}
