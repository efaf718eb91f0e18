import { z } from 'zod';
import { Attempt, Code, Id, IsoDate, Mark, ModuleCode, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// What an exam board decides for each student, as a registry records it: per module, its outcome
// (pass, refer, defer, fail, withdraw) with the external examiners present; and the mitigating
// (extenuating) circumstances claims it decides. Both live in the student's stream.

const family = 'exam-board';

/**
 * pass: the attempt's ratified mark stands as a pass. refer: a resubmission (capped where the programme
 * says so; counted against the resubmissions allowed). defer: a new first attempt, uncapped and not
 * counted against the resubmissions allowed. fail: no further attempt. withdraw: the board requires the
 * student to withdraw from the programme.
 */
export const BoardOutcome = z.enum(['pass', 'refer', 'defer', 'fail', 'withdraw']);
export type BoardOutcome = z.infer<typeof BoardOutcome>;

/** The time limits of a specification an accepted claim can extend (as an ExtensionGranted does). */
export const ExtendableLimit = z.enum(['outcomes', 'assignments', 'programme']);

export const BoardOutcomeRecorded = defineEvent({
  type: 'BoardOutcomeRecorded',
  family,
  description:
    "An exam board's outcome for one attempt at a module (pass, refer, defer, fail, withdraw), with the external examiners present.",
  schema: z.object({
    examBoardId: Code,
    boardDate: IsoDate,
    moduleCode: ModuleCode,
    attempt: Attempt.describe('the attempt the outcome is for'),
    outcome: BoardOutcome,
    externalExaminers: z.array(Id).min(1, 'a board sits with at least one external examiner').max(10),
    nextAttempt: z
      .object({
        attempt: Attempt,
        capAt: Mark.nullable().describe('null: the mark counts in full (a deferral is a first sit)'),
        deadline: IsoDate.nullable(),
      })
      .nullable()
      .describe('the attempt a refer or defer gives; null for the other outcomes'),
    mitigatingClaimId: Code.nullable().describe('the accepted mitigating-circumstances claim it rests on'),
    note: z.string().max(2000).optional(),
  }),
});

export const MitigationEvidence = z.object({
  kind: z.enum(['medical-note', 'letter', 'statement', 'document', 'other']),
  reference: z.string().min(1).max(500),
});

export const MitigationAffects = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('module'), moduleCode: ModuleCode, attempt: Attempt.optional() }),
  z.object({ kind: z.literal('time-limit'), timeLimit: ExtendableLimit }),
]);

export const MitigatingCircumstancesSubmitted = defineEvent({
  type: 'MitigatingCircumstancesSubmitted',
  family,
  description:
    "A mitigating (extenuating) circumstances claim, with its evidence, submitted by the student's tutor or registry for the exam board.",
  schema: z.object({
    claimId: Code,
    submittedOn: IsoDate,
    submittedBy: StaffRef,
    circumstances: z.string().trim().min(3).max(4000),
    evidence: z.array(MitigationEvidence).min(1, 'a claim is submitted with its evidence').max(20),
    affects: z.array(MitigationAffects).min(1, 'a claim names what it affects').max(10),
    requested: z.enum(['deferral', 'extension']),
  }),
});

export const MitigationRemedy = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('deferral'),
    moduleCode: ModuleCode,
    attempt: Attempt.describe('the attempt set aside'),
    deadline: IsoDate.nullable().describe("the deferred sit's deadline"),
  }),
  z.object({ kind: z.literal('extension'), timeLimit: ExtendableLimit, newDeadline: IsoDate }),
  z.object({
    kind: z.literal('resubmission-extension'),
    moduleCode: ModuleCode,
    attempt: Attempt.describe('the permitted attempt whose deadline moves'),
    newDeadline: IsoDate,
  }),
]);
export type MitigationRemedy = z.infer<typeof MitigationRemedy>;

export const MitigatingCircumstancesDecided = defineEvent({
  type: 'MitigatingCircumstancesDecided',
  family,
  description:
    'An exam board decided a mitigating-circumstances claim: accepted (a deferral, or an extension of a named deadline) or rejected.',
  schema: z.object({
    claimId: Code,
    examBoardId: Code,
    decidedOn: IsoDate.describe('the date the board was held'),
    decision: z.enum(['accepted', 'rejected']),
    remedy: MitigationRemedy.nullable().describe('what an accepted claim gives; null when rejected'),
    reason: Reason,
    decidedBy: StaffRef,
  }),
});

export const examBoardEvents = [
  BoardOutcomeRecorded,
  MitigatingCircumstancesSubmitted,
  MitigatingCircumstancesDecided,
] as const;
