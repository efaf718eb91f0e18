import { z } from 'zod';
import { DecisionOutcomeSchema } from '../domain/rules/schema.ts';
import { heldBoard } from './exam-board.ts';
import type { Ledger } from './ledger.ts';

// What the exam-board workspace in the pages reads in one request: the board, and per member of the
// cohort their standing (decision and credits today), the mitigating-circumstances claims (waiting or
// decided), and what this board has already recorded for them (outcomes, an award). The marks
// themselves come from the exam-board export, the same list the board works from.

const Claim = z.object({
  claimId: z.string(),
  submittedOn: z.string(),
  requested: z.enum(['deferral', 'extension']),
  affects: z.array(z.string()).describe('module codes, or a time limit as "time limit: <limit>"'),
  decision: z
    .object({
      decision: z.enum(['accepted', 'rejected']),
      examBoardId: z.string(),
      remedy: z.string().nullable().describe('the remedy kind, when accepted'),
    })
    .nullable()
    .describe('null: waiting for a board'),
});

export const BoardWorkspaceView = z.object({
  cohortId: z.string(),
  examBoardId: z.string(),
  heldOn: z.string(),
  externalExaminers: z.array(z.string()),
  students: z.array(
    z.object({
      studentId: z.string(),
      outcome: DecisionOutcomeSchema.describe('the decision today'),
      creditsEarned: z.number(),
      creditsRequired: z.number(),
      claims: z.array(Claim),
      boardOutcomes: z
        .array(z.object({ moduleCode: z.string(), attempt: z.number(), outcome: z.string() }))
        .describe('the outcomes this board recorded'),
      awardedAtBoard: z.boolean().describe('an award conferred at this board stands'),
    }),
  ),
});
export type BoardWorkspaceView = z.infer<typeof BoardWorkspaceView>;

/** The board's workspace: 404 for an unknown cohort, 422 for a board the cohort never held. */
export function boardWorkspace(ledger: Ledger, cohortId: string, examBoardId: string): BoardWorkspaceView {
  const { board } = heldBoard(ledger, cohortId, examBoardId);
  const overview = ledger.queries.cohortOverviewView(cohortId);
  const students = overview.rows.map((row) => {
    const record = ledger.queries.record(row.studentId);
    return {
      studentId: row.studentId,
      outcome: row.outcome,
      creditsEarned: row.creditsEarned,
      creditsRequired: row.creditsRequired,
      claims: Object.values(record.mitigatingCircumstances).map((c) => ({
        claimId: c.claimId,
        submittedOn: c.submittedOn,
        requested: c.requested,
        affects: c.affects.map((a) => (a.kind === 'module' ? a.moduleCode : `time limit: ${a.timeLimit}`)),
        decision: c.decision
          ? {
              decision: c.decision.decision,
              examBoardId: c.decision.examBoardId,
              remedy: c.decision.remedy?.kind ?? null,
            }
          : null,
      })),
      boardOutcomes: record.boardOutcomes
        .filter((o) => o.examBoardId === examBoardId)
        .map(({ moduleCode, attempt, outcome }) => ({ moduleCode, attempt, outcome })),
      awardedAtBoard: record.awards.some((a) => a.examBoardId === examBoardId && !a.withdrawn),
    };
  });
  return {
    cohortId,
    examBoardId,
    heldOn: board.heldOn,
    externalExaminers: [...board.externalExaminers],
    students,
  };
}
