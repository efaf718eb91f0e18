import { z } from 'zod';
import { Attempt, Code, Id, IsoDate, ModuleCode } from '../../events/common.ts';
import { BoardOutcome } from '../../events/exam-board.ts';
import { commandDefinitions } from '../domain/commands.ts';

// The shapes of an exam board run for a whole cohort (src/app/exam-board.ts): what a request asks for,
// and what it answers per student. One source for the routes' validation, their OpenAPI and the types.

export const ConferBoardInput = z.object({
  conferredOn: IsoDate.optional().describe('the conferral date (default: the day the board was held)'),
});

export const BoardOutcomesInput = z.object({
  mitigatingCircumstances: z
    .array(
      commandDefinitions.decideMitigatingCircumstances.schema
        .omit({ examBoardId: true })
        .extend({ studentId: Id }),
    )
    .max(2000)
    .default([])
    .describe("the board's decisions on claims, applied before the outcomes (a deferral is an outcome)"),
  outcomes: z
    .array(
      z.object({
        studentId: Id,
        moduleCode: ModuleCode,
        attempt: Attempt.optional(),
        outcome: BoardOutcome,
        deadline: IsoDate.nullable().optional(),
        note: z.string().max(2000).optional(),
      }),
    )
    .max(5000)
    .default([]),
});
export type BoardOutcomesInput = z.infer<typeof BoardOutcomesInput>;

const Refusal = z.object({
  code: z.string().describe('the stable code of the first refusal'),
  message: z.string(),
  issues: z
    .array(z.object({ field: z.string(), reason: z.string() }))
    .describe("the request's field it concerns, e.g. outcomes.3.deadline"),
  details: z.record(z.string(), z.unknown()),
});

export const BoardStudentResult = z.object({
  studentId: z.string(),
  result: z
    .enum(['applied', 'would-apply', 'refused', 'nothing-to-do'])
    .describe('applied: appended; would-apply: a preview; refused: nothing of it written; nothing-to-do'),
  events: z.array(z.object({ eventId: z.string(), type: z.string(), data: z.unknown() })),
  reason: z.string().nullable().describe('why it was refused or there was nothing to do'),
  refusal: Refusal.nullable(),
});
export type BoardStudentResult = z.infer<typeof BoardStudentResult>;

export const BoardRunView = z.object({
  cohortId: Code,
  examBoardId: Code,
  heldOn: IsoDate,
  externalExaminers: z.array(z.string()),
  action: z.enum(['ratify', 'confer', 'outcomes']),
  preview: z.boolean().describe('true: decided, nothing appended'),
  counts: z.object({
    applied: z.number().int(),
    refused: z.number().int(),
    nothingToDo: z.number().int(),
  }),
  students: z.array(BoardStudentResult),
});
export type BoardRunView = z.infer<typeof BoardRunView>;
