import type { MarkStep } from '../rules/schema.ts';
import type { Evolvers } from './evolver.ts';
import type { ModuleAttempt, StudentRecord } from './types.ts';

// Submissions and attempts, mark chains (marked, moderated, corrected, ratified), portfolio and viva.

export function attemptOf(r: StudentRecord, moduleCode: string, attempt: number): ModuleAttempt {
  const attempts = r.modules[moduleCode] ?? [];
  r.modules[moduleCode] = attempts;
  let found = attempts.find((a) => a.attempt === attempt);
  if (!found) {
    found = {
      attempt,
      capAt: null,
      permitted: null,
      deadline: null,
      submissions: [],
      markChain: null,
      markedOn: null,
      deferral: null,
      board: null,
      window: null,
      result: null,
    };
    attempts.push(found);
    attempts.sort((a, b) => a.attempt - b.attempt);
  }
  return found;
}

function addMarkStep(r: StudentRecord, targetEventId: string, step: MarkStep): void {
  const root = r.markEventChain.get(targetEventId);
  const chain = root ? r.markChains.get(root) : undefined;
  if (!chain) return; // the decider refuses this; a foreign log is folded as far as it makes sense
  chain.steps.push(step);
  chain.mark = step.mark;
  chain.headEventId = step.ref.eventId;
  r.markEventChain.set(step.ref.eventId, chain.rootEventId);
}

export const assessmentEvolvers = {
  AssignmentSubmitted(r, { data: d }, ref) {
    attemptOf(r, d.moduleCode, d.attempt).submissions.push({ kind: d.kind, submittedOn: d.submittedOn, ref });
  },
  AssignmentMarked(r, e, ref) {
    const d = e.data;
    r.markChains.set(e.eventId, {
      rootEventId: e.eventId,
      moduleCode: d.moduleCode,
      attempt: d.attempt,
      steps: [{ ref, mark: d.mark, kind: 'marked' }],
      mark: d.mark,
      headEventId: e.eventId,
      ratified: null,
    });
    r.markEventChain.set(e.eventId, e.eventId);
    const attempt = attemptOf(r, d.moduleCode, d.attempt);
    attempt.markChain = e.eventId;
    attempt.markedOn = d.markedOn;
  },
  MarkModerated(r, { data: d }, ref) {
    addMarkStep(r, d.markEventId, { ref, mark: d.moderatedMark, kind: 'moderated' });
  },
  MarkCorrected(r, { data: d }, ref) {
    addMarkStep(r, d.correctsEventId, { ref, mark: d.correctedMark, kind: 'corrected', reason: d.reason });
  },
  ResubmissionPermitted(r, { data: d }, ref) {
    const attempt = attemptOf(r, d.moduleCode, d.attempt);
    attempt.capAt = d.capAt;
    attempt.permitted = ref;
    attempt.deadline = d.deadline;
  },
  MarksRatified(r, { data: d }, ref) {
    for (const m of d.marks) {
      const root = r.markEventChain.get(m.chainHeadEventId);
      const chain = root ? r.markChains.get(root) : undefined;
      if (chain)
        chain.ratified = {
          examBoardId: d.examBoardId,
          boardDate: d.boardDate,
          mark: m.mark,
          headEventId: m.chainHeadEventId,
          ref,
        };
    }
  },
  PortfolioCompleted(r, { data: d }, ref) {
    r.portfolios[d.portfolio] = { completedOn: d.completedOn, ref };
  },
  VivaHeld(r, { data: d }, ref) {
    r.viva = { heldOn: d.heldOn, outcome: d.outcome, ref };
  },
} satisfies Partial<Evolvers>;
