import type { ModuleSpec } from '../../../events/programme-specification.ts';
import { refused } from '../../errors.ts';
import { creditLedger } from '../credits.ts';
import { participationOf } from '../participation.ts';
import { type Handlers, one } from './context.ts';
import { heldBoard, requireModule, specOf } from './guards.ts';

// Participation in the cohort's sessions and activities; an assessment sat in one of the cohort's windows
// (gated by the participation threshold where the specification sets one); a pass/fail result and its
// confirmation by the awarding body's board. Nothing here knows which qualification it is: the
// specification says which assessments are sat in a window, graded pass/fail, and what counts.

/** Refusals shared with the ordinary commands: a window assessment is sat, a pass/fail one not marked. */
export function refuseWindowAssessment(module: ModuleSpec): void {
  if (module.assessment.taken === 'cohort-window')
    throw refused(
      'assessment_sat_in_a_window',
      `${module.code} is sat in one of the cohort's windows: record it with sit-assessment`,
      { moduleCode: module.code },
    );
}

export function refusePassFail(module: ModuleSpec): void {
  if (module.assessment.grading === 'pass-fail')
    throw refused(
      'assessment_is_pass_fail',
      `${module.code} is assessed pass/fail: record its result with record-assessment-result`,
      { moduleCode: module.code },
    );
}

export const participationHandlers = {
  recordParticipation(r, d, ctx) {
    specOf(r, ctx.reference);
    const cohort = ctx.cohort(r.enrolment!.cohortId);
    const session = cohort?.sessions.find((s) => s.sessionId === d.sessionId);
    if (!session || (session.kind !== 'session' && session.kind !== 'activity'))
      throw refused('unknown_session', `the cohort has no session or activity ${d.sessionId}`, {
        sessionId: d.sessionId,
      });
    if (r.participation[d.sessionId])
      throw refused('already_recorded', `participation in ${d.sessionId} is already recorded`);
    return one(
      { type: 'SessionParticipationRecorded', data: { ...d, kind: session.kind } },
      d.participatedOn,
    );
  },
  sitAssessment(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const module = requireModule(spec, d.moduleCode);
    if (module.assessment.taken !== 'cohort-window')
      throw refused('module_not_sat_in_a_window', `${d.moduleCode} is not sat in a window: submit it`, {
        moduleCode: d.moduleCode,
      });
    const window = ctx
      .cohort(r.enrolment!.cohortId)
      ?.assessmentWindows.find((w) => w.windowId === d.windowId);
    if (!window)
      throw refused('unknown_assessment_window', `the cohort has set no window ${d.windowId}`, {
        windowId: d.windowId,
      });
    if (!window.moduleCodes.includes(d.moduleCode))
      throw refused('window_not_for_module', `window ${d.windowId} is for ${window.moduleCodes.join(', ')}`);
    if (d.submittedOn < window.opensOn || d.submittedOn > window.closesOn)
      throw refused(
        'outside_assessment_window',
        `window ${d.windowId} is open from ${window.opensOn} to ${window.closesOn}, not on ${d.submittedOn}`,
        { opensOn: window.opensOn, closesOn: window.closesOn },
      );
    const attempt = r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt);
    if (d.attempt > 1 && !attempt?.permitted)
      throw refused(
        'attempt_not_permitted',
        `attempt ${d.attempt} at ${d.moduleCode} has not been permitted`,
      );
    if (attempt?.window)
      throw refused('already_sat', `attempt ${d.attempt} at ${d.moduleCode} was already sat`);
    const standing = creditLedger(r, spec).modules.find((m) => m.moduleCode === d.moduleCode)!;
    if (standing.status === 'passed')
      throw refused('module_already_passed', `${d.moduleCode} is already passed and confirmed`);
    const participation = participationOf(r, spec);
    if (participation && spec.participation!.gatesAssessment && !participation.met)
      throw refused(
        'participation_below_threshold',
        `took part in ${participation.counted} of ${participation.of} sessions and activities: ${participation.thresholdPercent}% is needed to sit the assessment (${spec.participation!.source})`,
        {
          counted: participation.counted,
          of: participation.of,
          thresholdPercent: participation.thresholdPercent,
        },
      );
    return one(
      {
        type: 'AssessmentSat',
        data: {
          ...d,
          window: { opensOn: window.opensOn, closesOn: window.closesOn },
          participation: participation
            ? {
                counted: participation.counted,
                of: participation.of,
                thresholdPercent: participation.thresholdPercent,
              }
            : null,
        },
      },
      d.submittedOn,
    );
  },
  recordAssessmentResult(r, d, ctx) {
    const module = requireModule(specOf(r, ctx.reference), d.moduleCode);
    if (module.assessment.grading !== 'pass-fail')
      throw refused('assessment_is_marked', `${d.moduleCode} is marked: record a mark instead`);
    const attempt = r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt);
    if (!attempt?.submissions.some((s) => s.kind === 'final'))
      throw refused('not_submitted', `attempt ${d.attempt} at ${d.moduleCode} has not been sat or handed in`);
    const submittedOn = attempt.submissions.filter((s) => s.kind === 'final').at(-1)!.submittedOn;
    if (d.assessedOn < submittedOn)
      throw refused(
        'result_before_submission',
        `the result is dated ${d.assessedOn}, before the assessment it judges was handed in (${submittedOn})`,
        { submittedOn },
        'assessedOn',
      );
    if (attempt.result)
      throw refused('already_assessed', `attempt ${d.attempt} at ${d.moduleCode} already has its result`, {
        resultEventId: attempt.result.ref.eventId,
      });
    return one(
      { type: 'AssessmentResultRecorded', data: { ...d, assessor: { id: ctx.actor.id } } },
      d.assessedOn,
    );
  },
  confirmResults(r, d, ctx) {
    // as a ratification: only at a board the cohort held, on the day it was held
    const board = heldBoard(r, ctx, d.examBoardId);
    if (d.boardDate !== board.heldOn)
      throw refused(
        'board_date_mismatch',
        `board ${d.examBoardId} was held on ${board.heldOn}, not ${d.boardDate}`,
        { heldOn: board.heldOn },
        'boardDate',
      );
    const results = Object.entries(r.modules).flatMap(([moduleCode, attempts]) =>
      attempts
        .filter((a) => a.result && !a.result.confirmed)
        .map((a) => ({
          moduleCode,
          attempt: a.attempt,
          result: a.result!.result,
          resultEventId: a.result!.ref.eventId,
        })),
    );
    if (results.length === 0)
      throw refused('nothing_to_confirm', 'there are no results waiting for the board');
    return one({ type: 'AssessmentResultsConfirmed', data: { ...d, results } }, d.boardDate);
  },
} satisfies Partial<Handlers>;
