import type { CohortView } from '../src/domain/decide/context.ts';
import { fromHandlers } from './projection.ts';

// Cohorts: their sessions, staff and exam boards (from the cohort streams) and their members (from
// enrolments). What each member is missing is a query on top (src/app/queries/cohorts.ts).

export interface CohortState extends CohortView {
  name: string;
  intake: string;
  location: string;
  mode: string;
  startsOn: string;
  tutors: Set<string>;
  examiners: Set<string>;
  members: Set<string>;
}

export interface CohortsState {
  cohorts: Map<string, CohortState>;
}

const cohortOf = (state: CohortsState, streamId: string) =>
  state.cohorts.get(streamId.slice('cohort-'.length));

export const cohorts = fromHandlers({
  name: 'cohorts',
  // 2: a cohort's assessment windows; 3: each board's external examiners
  version: 3,
  initial: (): CohortsState => ({ cohorts: new Map() }),
  on: {
    CohortCreated(state, { data: d }) {
      state.cohorts.set(d.cohortId, {
        cohortId: d.cohortId,
        programmeId: d.programmeId,
        specVersion: d.specVersion,
        sessions: d.sessions,
        examBoards: [],
        assessmentWindows: [],
        name: d.name,
        intake: d.intake,
        location: d.location,
        mode: d.mode,
        startsOn: d.startsOn,
        tutors: new Set(),
        examiners: new Set(),
        members: new Set(),
      });
    },
    CohortStaffAssigned(state, e) {
      const c = cohortOf(state, e.streamId);
      if (c) (e.data.role === 'tutor' ? c.tutors : c.examiners).add(e.data.staffId);
    },
    ExamBoardHeld(state, e) {
      cohortOf(state, e.streamId)?.examBoards.push({
        examBoardId: e.data.examBoardId,
        heldOn: e.data.heldOn,
        externalExaminers: e.data.externalExaminers,
      });
    },
    AssessmentWindowSet(state, e) {
      cohortOf(state, e.streamId)?.assessmentWindows.push({ ...e.data });
    },
    StudentEnrolled(state, e) {
      state.cohorts.get(e.data.cohortId)?.members.add(e.streamId);
    },
  },
});
