import type { CohortView } from '../src/domain/decide/context.ts';
import { fromHandlers } from './projection.ts';

// Cohorts: their sessions, staff and exam boards (from the cohort streams), kept by cohort id. Who is in a
// cohort is the students projection's cohort column (an indexed query), not a set kept here: a set of
// members would rewrite the cohort's row at every enrolment. What each member is missing is a query on
// top (src/app/queries/cohorts.ts).

export interface CohortState extends CohortView {
  name: string;
  intake: string;
  location: string;
  mode: string;
  startsOn: string;
  tutors: Set<string>;
  examiners: Set<string>;
}

const cohortOf = (streamId: string) => streamId.slice('cohort-'.length);

export const cohorts = fromHandlers({
  name: 'cohorts',
  // 2: a cohort's assessment windows; 3: each board's external examiners; 4: kept by key, members in the
  // students' cohort column; 5: the programme column (the cohorts list filters by it)
  version: 5,
  key: (e) => (e.type === 'CohortCreated' ? e.data.cohortId : cohortOf(e.streamId)),
  initial: (cohortId): CohortState => ({
    cohortId,
    programmeId: '',
    specVersion: 0,
    sessions: [],
    examBoards: [],
    assessmentWindows: [],
    name: '',
    intake: '',
    location: '',
    mode: '',
    startsOn: '',
    tutors: new Set(),
    examiners: new Set(),
  }),
  // a cohort's own stream starts with its creation: anything else alone is not a cohort
  isEmpty: (c) => c.programmeId === '',
  columns: {
    programme_id: { type: 'text', value: (c) => c.programmeId },
    /** Who is assigned, as ` tutor:<id> examiner:<id> `: the cohorts a member of staff may read. */
    staff: {
      type: 'text',
      value: (c) =>
        ` ${[...[...c.tutors].map((id) => `tutor:${id}`), ...[...c.examiners].map((id) => `examiner:${id}`)].join(' ')} `,
    },
  },
  on: {
    CohortCreated(c, { data: d }) {
      Object.assign(c, {
        cohortId: d.cohortId,
        programmeId: d.programmeId,
        specVersion: d.specVersion,
        sessions: d.sessions,
        name: d.name,
        intake: d.intake,
        location: d.location,
        mode: d.mode,
        startsOn: d.startsOn,
      });
    },
    CohortStaffAssigned(c, e) {
      (e.data.role === 'tutor' ? c.tutors : c.examiners).add(e.data.staffId);
    },
    ExamBoardHeld(c, e) {
      c.examBoards.push({
        examBoardId: e.data.examBoardId,
        heldOn: e.data.heldOn,
        externalExaminers: e.data.externalExaminers,
      });
    },
    AssessmentWindowSet(c, e) {
      c.assessmentWindows.push({ ...e.data });
    },
  },
});
