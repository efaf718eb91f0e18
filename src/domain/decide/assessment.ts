import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { refused } from '../../errors.ts';
import { creditLedger } from '../credits.ts';
import type { MarkChain, StudentRecord } from '../student-record.ts';
import { type Handlers, one } from './context.ts';
import { heldBoard, requireModule, specOf } from './guards.ts';
import { refusePassFail, refuseWindowAssessment } from './participation.ts';

// Submissions, marks and their chain (moderation, correction, ratification), portfolio and viva. A mark
// is provisional until an exam board ratifies it; a correction is a new event naming what it corrects.

const standingOf = (r: StudentRecord, spec: ProgrammeSpecification, moduleCode: string) =>
  creditLedger(r, spec).modules.find((m) => m.moduleCode === moduleCode)!;

export const assessmentHandlers = {
  submitAssignment(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const module = requireModule(spec, d.moduleCode);
    refuseWindowAssessment(module);
    const standing = standingOf(r, spec, d.moduleCode);
    if (standing.status === 'apl-approved')
      throw refused('module_replaced_by_apl', `${d.moduleCode} was replaced by an approved APL/RPL claim`);
    if (standing.status === 'passed')
      throw refused('module_already_passed', `${d.moduleCode} is already passed and ratified`);
    if (d.kind === 'plan' && !module.assessment.planForFeedback)
      throw refused('no_plan_stage', `${d.moduleCode} has no initial plan for feedback`);
    if (d.attempt > 1 && !r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt)?.permitted)
      throw refused(
        'attempt_not_permitted',
        `attempt ${d.attempt} at ${d.moduleCode} has not been permitted`,
      );
    return one({ type: 'AssignmentSubmitted', data: d }, d.submittedOn);
  },
  markAssignment(r, d, ctx) {
    refusePassFail(requireModule(specOf(r, ctx.reference), d.moduleCode));
    const attempt = r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt);
    if (!attempt?.submissions.some((s) => s.kind === 'final'))
      throw refused(
        'not_submitted',
        `attempt ${d.attempt} at ${d.moduleCode} has no final submission to mark`,
      );
    if (attempt.markChain)
      throw refused(
        'already_marked',
        `attempt ${d.attempt} at ${d.moduleCode} is already marked: moderate or correct that mark instead`,
        { markEventId: attempt.markChain },
      );
    const submittedOn = attempt.submissions.filter((s) => s.kind === 'final').at(-1)!.submittedOn;
    if (d.markedOn < submittedOn)
      throw refused(
        'mark_before_submission',
        `the mark is dated ${d.markedOn}, before the submission it marks (${submittedOn})`,
        { submittedOn },
        'markedOn',
      );
    return one(
      { type: 'AssignmentMarked', data: { ...d, marker: d.marker ?? { id: ctx.actor.id } } },
      d.markedOn,
    );
  },
  moderateMark(r, d, ctx) {
    const chain = r.markChains.get(d.markEventId);
    if (!chain) {
      const type = r.eventTypes.get(d.markEventId);
      throw refused(
        type ? 'not_a_first_mark' : 'mark_not_found',
        type
          ? `event ${d.markEventId} is a ${type}, not a first mark`
          : `there is no mark ${d.markEventId} in this student's record`,
      );
    }
    const markedOn = r.modules[chain.moduleCode]?.find((a) => a.attempt === chain.attempt)?.markedOn;
    if (markedOn && d.moderatedOn < markedOn)
      throw refused(
        'moderation_before_mark',
        `the moderation is dated ${d.moderatedOn}, before the mark it moderates (${markedOn})`,
        { markedOn },
        'moderatedOn',
      );
    return one(
      {
        type: 'MarkModerated',
        data: {
          markEventId: d.markEventId,
          moduleCode: chain.moduleCode,
          attempt: chain.attempt,
          moderator: { id: ctx.actor.id },
          previousMark: chain.mark,
          moderatedMark: d.moderatedMark,
          moderatedOn: d.moderatedOn,
          ...(d.note ? { note: d.note } : {}),
        },
      },
      d.moderatedOn,
    );
  },
  correctMark(r, d, ctx) {
    if (ctx.actor.role !== 'admin')
      throw refused('not_authorised_to_correct', 'only an admin may correct a mark');
    const type = r.eventTypes.get(d.correctsEventId);
    if (!type)
      throw refused(
        'correction_target_not_found',
        `there is no event ${d.correctsEventId} in this student's record`,
        { correctsEventId: d.correctsEventId },
      );
    const root = r.markEventChain.get(d.correctsEventId);
    const chain = root ? r.markChains.get(root) : undefined;
    if (!chain)
      throw refused(
        'correction_target_not_a_mark',
        `event ${d.correctsEventId} is a ${type}, not a mark: only marks can be corrected`,
        { correctsEventId: d.correctsEventId, type },
      );
    if (chain.headEventId !== d.correctsEventId)
      throw refused(
        'correction_target_superseded',
        `event ${d.correctsEventId} is no longer the mark that stands; correct ${chain.headEventId} instead`,
        { currentEventId: chain.headEventId },
      );
    if (chain.mark === d.correctedMark)
      throw refused('correction_changes_nothing', `the mark already stands at ${d.correctedMark}`);
    return one(
      {
        type: 'MarkCorrected',
        data: {
          correctsEventId: d.correctsEventId,
          moduleCode: chain.moduleCode,
          attempt: chain.attempt,
          previousMark: chain.mark,
          correctedMark: d.correctedMark,
          reason: d.reason,
          authorisedBy: { id: ctx.actor.id },
        },
      },
      ctx.today,
    );
  },
  permitResubmission(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const module = requireModule(spec, d.moduleCode);
    const standing = standingOf(r, spec, d.moduleCode);
    const latest = standing.attempts[standing.attempts.length - 1];
    if (latest?.passed !== false)
      throw refused('no_failed_attempt', `${d.moduleCode} has no failed attempt to resubmit`);
    if (latest.attempt >= standing.attemptsAllowed)
      throw refused(
        'resubmission_limit_reached',
        `${d.moduleCode} allows ${module.resubmission.maxResubmissions} resubmission(s) and all have been used`,
      );
    const permittedOn = d.permittedOn ?? ctx.today;
    // provider default: a resubmission is permitted with time to make it, never after its own deadline
    if (d.deadline !== null && d.deadline < permittedOn)
      throw refused(
        'resubmission_deadline_passed',
        `the deadline ${d.deadline} is before the resubmission is permitted (${permittedOn})`,
        { deadline: d.deadline, permittedOn },
      );
    return one(
      {
        type: 'ResubmissionPermitted',
        data: {
          moduleCode: d.moduleCode,
          attempt: latest.attempt + 1,
          // UK HE practice: a resubmission is capped at the pass mark where the programme says so
          capAt: module.resubmission.capAtPassMark ? module.assessment.passMark : null,
          // a pass/fail assessment has no pass mark to cap at
          deadline: d.deadline,
          permittedBy: { id: ctx.actor.id },
        },
      },
      permittedOn,
    );
  },
  ratifyMarks(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    for (const code of d.modules ?? []) requireModule(spec, code, 'modules');
    const board = heldBoard(r, ctx, d.examBoardId);
    if (d.boardDate !== undefined && d.boardDate !== board.heldOn)
      throw refused(
        'board_date_mismatch',
        `exam board ${d.examBoardId} was held on ${board.heldOn}, not ${d.boardDate}`,
        { heldOn: board.heldOn },
        'boardDate',
      );
    const markedOn = (c: MarkChain) =>
      r.modules[c.moduleCode]?.find((a) => a.attempt === c.attempt)?.markedOn ?? null;
    const provisional = [...r.markChains.values()].filter(
      (c) => (!d.modules || d.modules.includes(c.moduleCode)) && c.ratified?.headEventId !== c.headEventId,
    );
    // a board ratifies the marks it saw: a mark made after it was held waits for a later board
    const seen = provisional.filter((c) => (markedOn(c) ?? '') <= board.heldOn);
    if (seen.length === 0)
      throw refused(
        'nothing_to_ratify',
        provisional.length
          ? `the provisional marks (${provisional.map((c) => c.moduleCode).join(', ')}) were made after exam board ${d.examBoardId} was held (${board.heldOn})`
          : `there are no provisional marks to ratify${d.modules ? ` for ${d.modules.join(', ')}` : ''}`,
        {},
        d.modules ? 'modules' : 'examBoardId',
      );
    const marks = seen.map((c) => ({
      moduleCode: c.moduleCode,
      attempt: c.attempt,
      mark: c.mark,
      chainHeadEventId: c.headEventId,
    }));
    return one(
      { type: 'MarksRatified', data: { examBoardId: d.examBoardId, boardDate: board.heldOn, marks } },
      board.heldOn,
    );
  },
  completePortfolio(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    if (!spec.portfolios.some((p) => p.code === d.portfolio))
      throw refused(
        'portfolio_not_in_specification',
        `${spec.programmeId} v${spec.version} has no portfolio ${d.portfolio} (it has: ${spec.portfolios.map((p) => p.code).join(', ') || 'none'})`,
      );
    if (r.portfolios[d.portfolio]) throw refused('already_recorded', `${d.portfolio} is already complete`);
    return one(
      { type: 'PortfolioCompleted', data: { ...d, assessedBy: { id: ctx.actor.id } } },
      d.completedOn,
    );
  },
  recordViva(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    if (!spec.viva.required) throw refused('no_viva_on_route', `${spec.programmeId} has no viva`);
    if (r.viva?.outcome === 'pass') throw refused('viva_already_passed', 'the viva is already passed');
    return one({ type: 'VivaHeld', data: d }, d.heldOn);
  },
} satisfies Partial<Handlers>;
