import { attemptOf } from './assessment.ts';
import type { Evolvers } from './evolver.ts';

// Exam-board outcomes and mitigating-circumstances claims (events/exam-board.ts). A refer or a defer
// opens the next attempt, as a permitted resubmission does; a deferral's attempt is a first sit (no cap,
// not counted against the resubmissions allowed: src/domain/credits.ts). An accepted claim's extension
// is kept where an ExtensionGranted puts it (`extensions[limit]`, or `extensions['resubmission:<module>:
// <attempt>']`) with the board's decision as its event, so the rules that read a deadline cite it.

export const boardEvolvers = {
  BoardOutcomeRecorded(r, { data: d }, ref) {
    r.boardOutcomes.push({
      examBoardId: d.examBoardId,
      boardDate: d.boardDate,
      moduleCode: d.moduleCode,
      attempt: d.attempt,
      outcome: d.outcome,
      externalExaminers: d.externalExaminers,
      mitigatingClaimId: d.mitigatingClaimId,
      ref,
    });
    attemptOf(r, d.moduleCode, d.attempt).board = { outcome: d.outcome, examBoardId: d.examBoardId, ref };
    if (!d.nextAttempt) return;
    const next = attemptOf(r, d.moduleCode, d.nextAttempt.attempt);
    next.capAt = d.nextAttempt.capAt;
    next.permitted = ref;
    next.deadline = d.nextAttempt.deadline;
    if (d.outcome === 'defer') {
      const claim = d.mitigatingClaimId ? r.mitigatingCircumstances[d.mitigatingClaimId] : undefined;
      next.deferral = { ref, claim: claim?.decision?.ref ?? null };
    }
  },
  MitigatingCircumstancesSubmitted(r, { data: d }, ref) {
    r.mitigatingCircumstances[d.claimId] = {
      claimId: d.claimId,
      submittedOn: d.submittedOn,
      requested: d.requested,
      affects: d.affects,
      submitted: ref,
      decision: null,
    };
  },
  MitigatingCircumstancesDecided(r, { data: d }, ref) {
    const claim = r.mitigatingCircumstances[d.claimId];
    if (claim)
      claim.decision = {
        decision: d.decision,
        examBoardId: d.examBoardId,
        decidedOn: d.decidedOn,
        remedy: d.remedy,
        reason: d.reason,
        ref,
      };
    if (d.decision !== 'accepted' || !d.remedy) return;
    const remedy = d.remedy;
    if (remedy.kind === 'extension')
      r.extensions[remedy.timeLimit] = {
        newDeadline: remedy.newDeadline,
        reason: `mitigating circumstances claim ${d.claimId} accepted at exam board ${d.examBoardId}: ${d.reason}`,
        ref,
      };
    // a resubmission keeps its own deadline: extended under the key an ExtensionGranted uses for it
    if (remedy.kind === 'resubmission-extension')
      r.extensions[`resubmission:${remedy.moduleCode}:${remedy.attempt}`] = {
        newDeadline: remedy.newDeadline,
        reason: `mitigating circumstances claim ${d.claimId} accepted at exam board ${d.examBoardId}: ${d.reason}`,
        ref,
      };
  },
} satisfies Partial<Evolvers>;
