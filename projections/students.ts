import { allEventDefinitions, type EventType } from '../events/index.ts';
import { applyEvent, emptyRecord, type StudentRecord, TABLE_FIELDS } from '../src/domain/student-record.ts';
import type { Projection } from './projection.ts';
import { placementCohort, programmeOf, standingOf, statutoryWatch } from './student-columns.ts';

// Every student's record, folded from their stream and kept by stream id: the base read model the
// eligibility, credits, deadlines and cohort views are computed from. Records are mutated in place (see
// student-record.ts). The columns beside each record are what lists filter and sort on.

export function isStudentStream(streamId: string): boolean {
  return streamId.startsWith('student-');
}

/** Every fact about a student: all but the cohort and programme families, which have streams of their own. */
const STUDENT_EVENTS: EventType[] = allEventDefinitions
  .filter((d) => d.family !== 'cohort' && d.family !== 'programme')
  .map((d) => d.type);

export const students: Projection<StudentRecord> = {
  name: 'students',
  // 2: a module attempt carries its resubmission deadline; 3: the school's name sealed with the personal
  // details (an application recorded before keeps it as legacySchool); 4: participation, windows, pass/fail
  // results, interruptions, authorised absences, the award's kind and duty; 5: exam-board outcomes,
  // mitigating-circumstances claims, an attempt's mark date, deferral and board outcome; 6: kept by key
  // on disk; 7: the programme column (an application's duplicates are looked for by it); 8: the tables keyed
  // by event id are Maps (stored as entry lists), not objects
  version: 8,
  handles: STUDENT_EVENTS,
  key: (e) => (isStudentStream(e.streamId) ? e.streamId : null),
  initial: (streamId) => emptyRecord(streamId),
  apply(record, event) {
    applyEvent(record, event);
  },
  columns: {
    /** The cohort enrolled on: a cohort's members. */
    cohort_id: { type: 'text', value: (r) => r.enrolment?.cohortId ?? null },
    /** The cohort enrolled on or offered a place on: what registry searches a cohort by. */
    placement_cohort_id: { type: 'text', value: placementCohort },
    standing: { type: 'text', value: standingOf },
    programme_id: { type: 'text', value: programmeOf },
    erased: { type: 'integer', value: (r) => (r.erasure ? 1 : 0) },
    /** From when the record may be on the at-risk lists (src/domain/statutory/deadline.ts); null: never. */
    at_risk_from: { type: 'text', value: (r, _key, context) => statutoryWatch(r, context).from },
    /** The nearest statutory deadline the record has, which the at-risk lists are ordered by. */
    nearest_deadline: { type: 'text', value: (r, _key, context) => statutoryWatch(r, context).nearest },
    /** The sealed personal details, to find a student by name without reading the whole record. */
    sealed_personal: {
      type: 'text',
      indexed: false,
      value: (r) => (r.application && !r.erasure ? JSON.stringify(r.application.personal) : null),
    },
  },
  revive(record) {
    // the record's hash tables are null-prototype objects (see record/types.ts); plain data loses that
    const out = record as unknown as Record<string, unknown>;
    for (const field of TABLE_FIELDS) out[field] = Object.assign(Object.create(null), out[field]);
    return record;
  },
};
