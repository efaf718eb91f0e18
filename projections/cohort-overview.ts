import type { LedgerEvent } from '../events/index.ts';
import type { CohortView } from '../src/domain/decide/context.ts';
import type { Decision, RuleArea } from '../src/domain/rules/index.ts';
import type { StudentRecord } from '../src/domain/student-record.ts';

// Cohorts: their sessions, staff and exam boards (from the cohort streams) and their members (from
// enrolments). The overview shows, per member, what is missing, grouped as a tutor reads it.

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

export const initialCohorts = (): CohortsState => ({ cohorts: new Map() });

export function applyToCohorts(state: CohortsState, e: LedgerEvent): void {
  switch (e.type) {
    case 'CohortCreated': {
      const d = e.data;
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
      break;
    }
    case 'CohortStaffAssigned': {
      const c = state.cohorts.get(e.streamId.slice('cohort-'.length));
      if (c) (e.data.role === 'tutor' ? c.tutors : c.examiners).add(e.data.staffId);
      break;
    }
    case 'ExamBoardHeld': {
      const c = state.cohorts.get(e.streamId.slice('cohort-'.length));
      if (c)
        c.examBoards.push({
          examBoardId: e.data.examBoardId,
          heldOn: e.data.heldOn,
          externalExaminers: e.data.externalExaminers,
        });
      break;
    }
    case 'AssessmentWindowSet': {
      const c = state.cohorts.get(e.streamId.slice('cohort-'.length));
      if (c) c.assessmentWindows.push({ ...e.data });
      break;
    }
    case 'StudentEnrolled':
      state.cohorts.get(e.data.cohortId)?.members.add(e.streamId);
      break;
    default:
      break;
  }
}

/** The areas of the record a rule concerns, as each rule's definition names them. */
export type MissingArea = RuleArea;

export interface CohortMemberRow {
  studentId: string;
  outcome: Decision['outcome'];
  creditsEarned: number;
  creditsRequired: number;
  missing: Partial<Record<MissingArea, string[]>>;
}

/** What each member of a cohort is missing, from their current decisions. */
export function cohortOverview(
  cohort: CohortState,
  members: { record: StudentRecord; decision: Decision | null }[],
): { cohort: CohortState; rows: CohortMemberRow[]; counts: Record<string, number> } {
  const rows: CohortMemberRow[] = [];
  const counts: Record<string, number> = {};
  for (const { record, decision } of members) {
    const missing: CohortMemberRow['missing'] = {};
    if (decision) {
      for (const rule of decision.rules) {
        if (rule.outcome === 'met' || rule.outcome === 'not-applicable' || rule.outcome === 'fallback')
          continue;
        const list = missing[rule.area] ?? [];
        list.push(...(rule.outstanding.length ? rule.outstanding : [rule.reason]));
        missing[rule.area] = list;
      }
      counts[decision.outcome] = (counts[decision.outcome] ?? 0) + 1;
    }
    rows.push({
      studentId: record.studentId,
      outcome: decision?.outcome ?? 'not-yet-eligible',
      creditsEarned: decision?.credits.earned ?? 0,
      creditsRequired: decision?.credits.required ?? 0,
      missing,
    });
  }
  rows.sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
  return { cohort, rows, counts };
}
