import type { BoardOutcome, MitigationRemedy } from '../../../events/exam-board.ts';
import type { DomainEvent } from '../../../events/index.ts';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { refused } from '../../errors.ts';
import { creditLedger } from '../credits.ts';
import type { StudentRecord } from '../student-record.ts';
import type { CohortView, Decided, Handlers } from './context.ts';
import { heldBoard, requireModule, specOf } from './guards.ts';

// An exam board's outcomes per module, and the mitigating-circumstances claims it decides. Every fact
// is dated on the day the board was held (the cohort's own record of it), never on a date the caller
// gives. UK HE practice (provider default where no seed states it): a referral is a capped resubmission
// counted against those allowed; a deferral sets the attempt aside and gives it again on the same terms
// (a first sit stays a first sit: its mark counts in full) without counting it.

type Board = CohortView['examBoards'][number];

interface OutcomeInput {
  moduleCode: string;
  attempt?: number | undefined;
  outcome: BoardOutcome;
  deadline?: string | null | undefined;
  note?: string | undefined;
  mitigatingClaimId?: string;
}

/**
 * The BoardOutcomeRecorded (and, for a withdrawal, the StudentWithdrawn) a board's outcome decides.
 * Refusals name the input's fields under `prefix` (a claim's deferral is decided from its `remedy.`).
 */
export function boardOutcome(
  r: StudentRecord,
  spec: ProgrammeSpecification,
  board: Board,
  d: OutcomeInput,
  prefix = '',
): DomainEvent[] {
  const field = prefix ? prefix.slice(0, -1) : 'outcome';
  const module = requireModule(spec, d.moduleCode, `${prefix}moduleCode`);
  const standing = creditLedger(r, spec).modules.find((m) => m.moduleCode === d.moduleCode)!;
  if (standing.status === 'apl-approved')
    throw refused(
      'module_replaced_by_apl',
      `${d.moduleCode} was replaced by an approved APL/RPL claim`,
      {},
      `${prefix}moduleCode`,
    );
  const attempts = r.modules[d.moduleCode] ?? [];
  const latest = attempts[attempts.length - 1]?.attempt ?? 1;
  const attempt = d.attempt ?? latest;
  if (attempt !== latest)
    throw refused(
      'not_the_latest_attempt',
      `the board decides the latest attempt at ${d.moduleCode} (attempt ${latest}), not attempt ${attempt}`,
      { latest },
      `${prefix}attempt`,
    );
  // one outcome per attempt, and one per module at a board (not a fail for the sit it just referred)
  const decided =
    attempts.find((a) => a.attempt === attempt)?.board ??
    r.boardOutcomes.find((b) => b.examBoardId === board.examBoardId && b.moduleCode === d.moduleCode);
  if (decided)
    throw refused(
      'board_outcome_exists',
      `${d.moduleCode} already has an outcome (${decided.outcome}) from exam board ${decided.examBoardId}`,
      { outcome: decided.outcome, examBoardId: decided.examBoardId },
      `${prefix}moduleCode`,
    );
  const mark = standing.attempts.find((a) => a.attempt === attempt);
  const contradicts = (why: string) =>
    refused(
      'outcome_contradicts_mark',
      `${d.outcome} contradicts attempt ${attempt} at ${d.moduleCode}: ${why}`,
      {},
      field,
    );
  if (d.outcome !== 'withdraw' && mark?.chain && !mark.ratified && d.outcome !== 'defer')
    throw refused(
      'mark_not_ratified',
      `the mark for attempt ${attempt} at ${d.moduleCode} is provisional: ratify it at the board first`,
      {},
      field,
    );
  if (d.outcome === 'pass' && !mark?.passed)
    throw contradicts(
      mark?.chain ? `its mark ${mark.effectiveMark} is below the pass mark` : 'it has no mark',
    );
  if (
    (d.outcome === 'refer' || d.outcome === 'fail' || d.outcome === 'defer') &&
    mark?.passed &&
    mark.ratified
  )
    throw contradicts(`its ratified mark ${mark.effectiveMark} is a pass`);
  if (d.outcome === 'refer' && attempt >= standing.attemptsAllowed)
    throw refused(
      'resubmission_limit_reached',
      `${d.moduleCode} allows ${module.resubmission.maxResubmissions} resubmission(s) and all have been used`,
      {},
      field,
    );
  const opensAttempt = d.outcome === 'refer' || d.outcome === 'defer';
  const deadline = d.deadline ?? null;
  if (!opensAttempt && deadline !== null)
    throw refused(
      'deadline_not_applicable',
      `a ${d.outcome} gives no further attempt, so it takes no deadline`,
      {},
      `${prefix}deadline`,
    );
  if (deadline !== null && deadline < board.heldOn)
    throw refused(
      'deadline_before_board',
      `the deadline ${deadline} is before the board was held (${board.heldOn})`,
      { deadline, heldOn: board.heldOn },
      `${prefix}deadline`,
    );
  const capAt =
    d.outcome === 'refer'
      ? // UK HE practice: a resubmission is capped at the pass mark where the programme says so
        module.resubmission.capAtPassMark
        ? module.assessment.passMark
        : null
      : (attempts.find((a) => a.attempt === attempt)?.capAt ?? null);
  const events: DomainEvent[] = [
    {
      type: 'BoardOutcomeRecorded',
      data: {
        examBoardId: board.examBoardId,
        boardDate: board.heldOn,
        moduleCode: d.moduleCode,
        attempt,
        outcome: d.outcome,
        externalExaminers: [...board.externalExaminers],
        nextAttempt: opensAttempt ? { attempt: attempt + 1, capAt, deadline } : null,
        mitigatingClaimId: d.mitigatingClaimId ?? null,
        ...(d.note ? { note: d.note } : {}),
      },
    },
  ];
  if (d.outcome === 'withdraw')
    events.push({
      type: 'StudentWithdrawn',
      data: {
        on: board.heldOn,
        reason: `Required to withdraw by exam board ${board.examBoardId}${d.note ? `: ${d.note}` : ''}`,
      },
    });
  return events;
}

const onBoardDay = (events: DomainEvent[], board: Board): Decided[] =>
  events.map((event) => ({ event, occurredOn: board.heldOn }));

export const boardHandlers = {
  recordBoardOutcome(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const board = heldBoard(r, ctx, d.examBoardId);
    return onBoardDay(boardOutcome(r, spec, board, d), board);
  },
  submitMitigatingCircumstances(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    for (const a of d.affects) if (a.kind === 'module') requireModule(spec, a.moduleCode, 'affects');
    if (r.mitigatingCircumstances[d.claimId])
      throw refused('mitigation_claim_exists', `claim ${d.claimId} already exists`, {}, 'claimId');
    return [
      {
        event: {
          type: 'MitigatingCircumstancesSubmitted',
          data: { ...d, submittedBy: { id: ctx.actor.id } },
        },
        occurredOn: d.submittedOn,
      },
    ];
  },
  decideMitigatingCircumstances(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const claim = r.mitigatingCircumstances[d.claimId];
    if (!claim)
      throw refused(
        'unknown_mitigation_claim',
        `there is no mitigating-circumstances claim ${d.claimId}`,
        {},
        'claimId',
      );
    if (claim.decision)
      throw refused(
        'mitigation_already_decided',
        `claim ${d.claimId} was already ${claim.decision.decision} at exam board ${claim.decision.examBoardId}`,
        {},
        'claimId',
      );
    const board = heldBoard(r, ctx, d.examBoardId);
    if (board.heldOn < claim.submittedOn)
      throw refused(
        'decision_before_claim',
        `exam board ${board.examBoardId} was held on ${board.heldOn}, before the claim was submitted (${claim.submittedOn})`,
        {},
        'examBoardId',
      );
    const remedy = d.remedy ?? null;
    if (d.decision === 'accepted' && !remedy)
      throw refused(
        'remedy_required',
        'an accepted claim gives a deferral or an extension: name it',
        {},
        'remedy',
      );
    if (d.decision === 'rejected' && remedy)
      throw refused('remedy_not_applicable', 'a rejected claim gives nothing', {}, 'remedy');
    if (remedy) {
      const covered =
        remedy.kind === 'extension'
          ? claim.affects.some((a) => a.kind === 'time-limit' && a.timeLimit === remedy.timeLimit)
          : claim.affects.some((a) => a.kind === 'module' && a.moduleCode === remedy.moduleCode);
      if (!covered)
        throw refused(
          'remedy_outside_claim',
          `claim ${d.claimId} does not concern ${remedy.kind === 'extension' ? `the ${remedy.timeLimit} limit` : remedy.moduleCode}`,
          {},
          'remedy',
        );
    }
    const decided = (given: MitigationRemedy | null): DomainEvent => ({
      type: 'MitigatingCircumstancesDecided',
      data: {
        claimId: d.claimId,
        examBoardId: board.examBoardId,
        decidedOn: board.heldOn,
        decision: d.decision,
        remedy: given,
        reason: d.reason,
        decidedBy: { id: ctx.actor.id },
      },
    });
    if (!remedy) return onBoardDay([decided(null)], board);
    if (remedy.kind === 'extension') return onBoardDay([decided(remedy)], board);
    const attempts = r.modules[remedy.moduleCode] ?? [];
    const attempt = remedy.attempt ?? attempts[attempts.length - 1]?.attempt ?? 1;
    if (remedy.kind === 'resubmission-extension') {
      requireModule(spec, remedy.moduleCode, 'remedy.moduleCode');
      const permitted = attempts.find((a) => a.attempt === attempt && a.permitted);
      if (!permitted)
        throw refused(
          'no_permitted_attempt',
          `attempt ${attempt} at ${remedy.moduleCode} is not a permitted resubmission with a deadline to extend`,
          {},
          'remedy.attempt',
        );
      const current =
        r.extensions[`resubmission:${remedy.moduleCode}:${attempt}`]?.newDeadline ?? permitted.deadline;
      if (current !== null && remedy.newDeadline <= current)
        throw refused(
          'extension_not_later',
          `the new deadline ${remedy.newDeadline} is not after the current one (${current})`,
          {},
          'remedy.newDeadline',
        );
      return onBoardDay([decided({ ...remedy, attempt })], board);
    }
    const deadline = remedy.deadline ?? null;
    const deferral = boardOutcome(
      r,
      spec,
      board,
      { moduleCode: remedy.moduleCode, attempt, outcome: 'defer', deadline, mitigatingClaimId: d.claimId },
      'remedy.',
    );
    return onBoardDay(
      [decided({ kind: 'deferral', moduleCode: remedy.moduleCode, attempt, deadline }), ...deferral],
      board,
    );
  },
} satisfies Partial<Handlers>;
