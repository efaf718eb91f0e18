import { attemptOf } from './assessment.ts';
import type { Evolvers } from './evolver.ts';

// Participation in the cohort's sessions and activities; an assessment sat in a window (its submission
// is the attempt's final submission, so it is marked or given its result like any other); pass/fail
// results and the board that confirmed them.

export const participationEvolvers = {
  SessionParticipationRecorded(r, { data: d }, ref) {
    r.participation[d.sessionId] = { kind: d.kind, participatedOn: d.participatedOn, ref };
  },
  AssessmentSat(r, { data: d }, ref) {
    const attempt = attemptOf(r, d.moduleCode, d.attempt);
    attempt.window = { windowId: d.windowId, opensOn: d.window.opensOn, closesOn: d.window.closesOn, ref };
    attempt.submissions.push({ kind: 'final', submittedOn: d.submittedOn, ref });
  },
  AssessmentResultRecorded(r, e, ref) {
    const d = e.data;
    attemptOf(r, d.moduleCode, d.attempt).result = {
      result: d.result,
      assessedOn: d.assessedOn,
      ref,
      confirmed: null,
    };
    r.resultEvents.set(e.eventId, { moduleCode: d.moduleCode, attempt: d.attempt });
  },
  AssessmentResultsConfirmed(r, { data: d }, ref) {
    for (const c of d.results) {
      const at = r.resultEvents.get(c.resultEventId);
      const attempt = at ? r.modules[at.moduleCode]?.find((a) => a.attempt === at.attempt) : undefined;
      if (attempt?.result && attempt.result.ref.eventId === c.resultEventId)
        attempt.result.confirmed = { examBoardId: d.examBoardId, boardDate: d.boardDate, ref };
    }
  },
} satisfies Partial<Evolvers>;
