import { produce } from 'immer';
import type { EventType, LedgerEvent } from '../../events/index.ts';
import { assessmentEvolvers } from './record/assessment.ts';
import { attendanceEvolvers } from './record/attendance.ts';
import { awardEvolvers } from './record/award.ts';
import { boardEvolvers } from './record/boards.ts';
import type { EventOf, Evolvers } from './record/evolver.ts';
import { otherStreamEvolvers } from './record/other-streams.ts';
import { outcomeEvolvers } from './record/outcomes.ts';
import { participationEvolvers } from './record/participation.ts';
import { priorLearningEvolvers } from './record/prior-learning.ts';
import { registrationEvolvers } from './record/registration.ts';
import { type AwardRecord, emptyRecord, refOf, type StudentRecord } from './record/types.ts';
import { visitEvolvers } from './record/visits.ts';

// The fold of a student's stream. `applyEvent` mutates the record it is given (the projections' own
// records, the command handler's cached states) and is also a valid immer recipe, for `evolve`, the
// immutable fold; a full rebuild must run at hundreds of thousands of events a second and immer's
// copy-on-write costs microseconds per event. Each event type has its evolver, one file per family:
// an event type added to the catalogue without one does not compile.

export * from './record/types.ts';
export type { EventRef, MarkChain, MarkStep } from './rules/schema.ts';

const evolvers: Evolvers = {
  ...registrationEvolvers,
  ...attendanceEvolvers,
  ...visitEvolvers,
  ...assessmentEvolvers,
  ...priorLearningEvolvers,
  ...outcomeEvolvers,
  ...participationEvolvers,
  ...awardEvolvers,
  ...boardEvolvers,
  ...otherStreamEvolvers,
};

function evolveWith<T extends EventType>(type: T, r: StudentRecord, e: EventOf<T>): void {
  evolvers[type](r, e, refOf(e));
}

/** The immer recipe: folds one event into a record (a draft, or a projection's own mutable record). */
export function applyEvent(r: StudentRecord, e: LedgerEvent): void {
  r.revision = e.revision;
  r.lastPosition = e.position;
  r.lastRecordedAt = e.recordedAt;
  r.eventTypes.set(e.eventId, e.type);
  evolveWith(e.type, r, e);
}

/** The immutable fold used by the command path. */
export function evolve(state: StudentRecord, event: LedgerEvent): StudentRecord {
  return produce(state, (draft) => {
    applyEvent(draft as StudentRecord, event);
  });
}

export function foldRecord(streamId: string, events: Iterable<LedgerEvent>): StudentRecord {
  const r = emptyRecord(streamId);
  for (const e of events) applyEvent(r, e);
  return r;
}

/** The award currently standing: the latest conferral not withdrawn. */
export function standingAward(r: StudentRecord): AwardRecord | null {
  for (let i = r.awards.length - 1; i >= 0; i--) if (!r.awards[i]!.withdrawn) return r.awards[i]!;
  return null;
}
