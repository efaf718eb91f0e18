import { z } from 'zod';
import { MarksRatified } from '../../../events/assessment.ts';
import { AwardConferred, AwardDecisionWithdrawn, AwardReviewResolved } from '../../../events/award.ts';
import { Attempt, Code, IsoDate, ModuleCode, Reason } from '../../../events/common.ts';
import {
  BoardOutcome,
  ExtendableLimit,
  MitigatingCircumstancesSubmitted,
} from '../../../events/exam-board.ts';
import { AssessmentResultsConfirmed } from '../../../events/participation.ts';
import type { CommandDefinition } from './definition.ts';

// What an exam board (or a lead provider's assessment board) decides: ratification, per-module outcomes,
// mitigating circumstances, confirmed results, and the award itself.
export const boardsCommands = {
  ratifyMarks: {
    roles: ['registry'],
    summary: 'Ratify the provisional marks at an exam board the cohort held',
    schema: MarksRatified.schema.pick({ examBoardId: true }).extend({
      boardDate: IsoDate.optional().describe("the board's date; if given, it must be the date it was held"),
      modules: z.array(ModuleCode).optional().describe('only these modules; all provisional marks if absent'),
    }),
  },
  recordBoardOutcome: {
    roles: ['registry'],
    summary: "Record an exam board's outcome for a module: pass, refer, defer, fail or withdraw",
    schema: z.object({
      examBoardId: Code,
      moduleCode: ModuleCode,
      attempt: Attempt.optional().describe('the attempt decided (default: the latest)'),
      outcome: BoardOutcome,
      deadline: IsoDate.nullable()
        .optional()
        .describe("a refer's or defer's deadline for the next attempt (on or after the board)"),
      note: z.string().max(2000).optional(),
    }),
  },
  submitMitigatingCircumstances: {
    roles: ['tutor', 'registry'],
    summary: 'Submit a mitigating-circumstances claim with its evidence, for the exam board to decide',
    schema: MitigatingCircumstancesSubmitted.schema.omit({ submittedBy: true }),
  },
  decideMitigatingCircumstances: {
    roles: ['registry'],
    summary:
      "Record the exam board's decision on a mitigating-circumstances claim (a deferral or an extension)",
    schema: z.object({
      claimId: Code,
      examBoardId: Code,
      decision: z.enum(['accepted', 'rejected']),
      remedy: z
        .discriminatedUnion('kind', [
          z.object({
            kind: z.literal('deferral'),
            moduleCode: ModuleCode,
            attempt: Attempt.optional().describe('the attempt set aside (default: the latest)'),
            deadline: IsoDate.nullable().optional(),
          }),
          z.object({ kind: z.literal('extension'), timeLimit: ExtendableLimit, newDeadline: IsoDate }),
          z.object({
            kind: z.literal('resubmission-extension'),
            moduleCode: ModuleCode,
            attempt: Attempt.optional().describe('the permitted attempt (default: the latest)'),
            newDeadline: IsoDate,
          }),
        ])
        .nullable()
        .optional()
        .describe('what an accepted claim gives; none when rejected'),
      reason: Reason,
    }),
  },
  confirmResults: {
    roles: ['registry'],
    summary:
      "Confirm the pass/fail results at the awarding body's board (a lead provider's assessment board or an exam board)",
    schema: AssessmentResultsConfirmed.schema.pick({ examBoardId: true, boardDate: true }),
  },
  conferAward: {
    roles: ['registry'],
    summary: 'Confer the award on the current decision (refused unless eligible)',
    schema: AwardConferred.schema.pick({ examBoardId: true, conferredOn: true }),
  },
  withdrawAward: {
    roles: ['registry'],
    summary: 'Withdraw a conferred award, naming it and why',
    schema: AwardDecisionWithdrawn.schema.omit({ authorisedBy: true }),
  },
  resolveAwardReview: {
    roles: ['registry'],
    summary: 'Resolve a review flag: the award stands',
    schema: AwardReviewResolved.schema.pick({ awardEventId: true, note: true, resolvedOn: true }),
  },
} as const satisfies Record<string, CommandDefinition>;
