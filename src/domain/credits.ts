import type { ModuleSpec, ProgrammeSpecification } from '../../events/programme-specification.ts';
import type { AttemptStanding, CreditLedger, EventRef, ModuleStanding } from './rules/schema.ts';
import type { ModuleAttempt, StudentRecord } from './student-record.ts';

// How each module's credits stand. A module's credits count once its assessment passes (the mark, after
// any resubmission cap, at or above the pass mark) and an exam board has ratified that mark, or once an
// APL/RPL claim for it is approved within the programme's cap. The shapes are in rules/schema.ts.

export type { CreditLedger };

/**
 * The only parts of a record the credit ledger reads (with the specification): its type, so the compiler
 * keeps it true. A replay keeps the previous step's ledger while an event writes none of them
 * (rules/replay-assessor.ts).
 */
export const CREDIT_INPUTS = ['modules', 'markChains', 'aplClaims'] as const;
export type CreditInputs = Pick<StudentRecord, (typeof CREDIT_INPUTS)[number]>;

function standingOfAttempt(
  record: CreditInputs,
  attempt: ModuleAttempt,
  passMark: number | null,
): AttemptStanding {
  const chain = attempt.markChain ? (record.markChains.get(attempt.markChain) ?? null) : null;
  const finals = attempt.submissions.filter((s) => s.kind === 'final');
  const about = {
    attempt: attempt.attempt,
    permitted: attempt.permitted !== null,
    dueBy: attempt.deadline,
    submittedOn: finals[finals.length - 1]?.submittedOn ?? null,
  };
  if (passMark === null) {
    // a pass/fail assessment: its result counts once the awarding body's board confirmed it
    const r = attempt.result;
    return {
      ...about,
      mark: null,
      cappedAt: null,
      effectiveMark: null,
      result: r?.result ?? null,
      passed: r ? r.result === 'pass' : null,
      ratified: r?.confirmed != null,
      ratifiedOn: r?.confirmed?.boardDate ?? null,
      changedAfterRatification: false,
      chain: null,
    };
  }
  if (!chain) {
    return {
      ...about,
      mark: null,
      cappedAt: attempt.capAt,
      effectiveMark: null,
      result: null,
      passed: null,
      ratified: false,
      ratifiedOn: null,
      changedAfterRatification: false,
      chain: null,
    };
  }
  const effective = attempt.capAt !== null ? Math.min(chain.mark, attempt.capAt) : chain.mark;
  const ratified = chain.ratified !== null && chain.ratified.headEventId === chain.headEventId;
  return {
    ...about,
    mark: chain.mark,
    cappedAt: attempt.capAt,
    effectiveMark: effective,
    result: null,
    passed: effective >= passMark,
    ratified,
    ratifiedOn: ratified ? chain.ratified!.boardDate : null,
    changedAfterRatification: chain.ratified !== null && !ratified,
    chain,
  };
}

export function moduleStanding(
  record: CreditInputs,
  module: ModuleSpec,
  approvedApl: Set<string>,
): ModuleStanding {
  const attempts = (record.modules[module.code] ?? []).map((a) =>
    standingOfAttempt(record, a, module.assessment.passMark),
  );
  const recorded = record.modules[module.code] ?? [];
  // An exam board's deferral gives a new first sit: it is not counted against the resubmissions allowed.
  const attemptsAllowed =
    1 + module.resubmission.maxResubmissions + recorded.filter((a) => a.deferral).length;
  const claim = Object.values(record.aplClaims).find(
    (c) => c.moduleCode === module.code && c.decision?.decision === 'approved',
  );
  const events: EventRef[] = [];
  for (const a of recorded) {
    for (const s of a.submissions) events.push(s.ref);
    if (a.permitted) events.push(a.permitted);
    if (a.deferral?.claim) events.push(a.deferral.claim);
    // a refer or defer is cited as the next attempt's permission
    if (a.board && a.board.outcome !== 'refer' && a.board.outcome !== 'defer') events.push(a.board.ref);
  }
  for (const a of attempts) {
    if (a.chain) for (const s of a.chain.steps) events.push(s.ref);
    if (a.chain?.ratified) events.push(a.chain.ratified.ref);
  }
  for (const a of record.modules[module.code] ?? []) {
    if (a.result) events.push(a.result.ref);
    if (a.result?.confirmed) events.push(a.result.confirmed.ref);
  }
  const base = {
    moduleCode: module.code,
    title: module.title,
    credits: module.credits,
    required: module.required,
    passMark: module.assessment.passMark,
    attempts,
    attemptsAllowed,
    apl: null as ModuleStanding['apl'],
    events,
  };
  if (claim && approvedApl.has(claim.claimId)) {
    events.push(claim.submitted, claim.decision!.ref);
    return {
      ...base,
      status: 'apl-approved',
      creditsEarned: module.credits,
      provisionalCredits: 0,
      apl: { claimId: claim.claimId, route: claim.route, ref: claim.decision!.ref },
    };
  }
  const passedRatified = attempts.find((a) => a.passed && a.ratified);
  if (passedRatified)
    return { ...base, status: 'passed', creditsEarned: module.credits, provisionalCredits: 0 };
  const latest = attempts[attempts.length - 1];
  // an exam board's fail ends the module, whatever attempts were left
  if (recorded[recorded.length - 1]?.board?.outcome === 'fail')
    return { ...base, status: 'failed', creditsEarned: 0, provisionalCredits: 0 };
  if (!latest) return { ...base, status: 'not-started', creditsEarned: 0, provisionalCredits: 0 };
  // A permitted resubmission is an attempt on the record before anything is handed in for it: until
  // then the module stands on the failed attempt, with the resubmission still to come.
  if (latest.permitted && latest.submittedOn === null && latest.mark === null)
    return { ...base, status: 'resubmission-permitted', creditsEarned: 0, provisionalCredits: 0 };
  if (latest.passed === null)
    return { ...base, status: 'submitted', creditsEarned: 0, provisionalCredits: 0 };
  if (latest.passed)
    return { ...base, status: 'passed-provisional', creditsEarned: 0, provisionalCredits: module.credits };
  if (!latest.ratified)
    return { ...base, status: 'marked-provisional', creditsEarned: 0, provisionalCredits: 0 };
  const status = latest.attempt >= attemptsAllowed ? 'failed' : 'resubmission-available';
  return { ...base, status, creditsEarned: 0, provisionalCredits: 0 };
}

/** Approved APL/RPL claims in the order they were decided, counting only up to the cap. */
export function approvedAplWithinCap(record: CreditInputs, spec: ProgrammeSpecification): Set<string> {
  const approved = Object.values(record.aplClaims)
    .filter((c) => c.decision?.decision === 'approved')
    .sort((a, b) => (a.decision!.ref.position < b.decision!.ref.position ? -1 : 1));
  // seed 003: APL/RPL may replace at most one module
  return new Set(approved.slice(0, spec.priorLearning.maxModules).map((c) => c.claimId));
}

export function creditLedger(record: CreditInputs, spec: ProgrammeSpecification): CreditLedger {
  const approvedApl = approvedAplWithinCap(record, spec);
  const modules = spec.modules.map((m) => moduleStanding(record, m, approvedApl));
  const earned = modules.reduce((sum, m) => sum + m.creditsEarned, 0);
  const provisional = modules.reduce((sum, m) => sum + m.provisionalCredits, 0);
  return {
    modules,
    earned: Math.min(earned, spec.totalCredits),
    earnedIncludingProvisional: Math.min(earned + provisional, spec.totalCredits),
    required: spec.totalCredits,
    aplModulesCounted: approvedApl.size,
    aplCap: spec.priorLearning.maxModules,
  };
}
