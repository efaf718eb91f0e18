import { z } from 'zod';
import { Actor } from '../../../events/envelope.ts';

// The shapes a decision is made of: each rule's result with the figures and events it used, the credit
// ledger, and the decision assembled from them. The TypeScript types are inferred from these schemas, so
// the response a route declares and the object the rules build are one shape. Positions and revisions
// stay bigint here; they become strings at the JSON boundary.

/** The event behind a fact: what registry staff and examiners follow back to the log. */
export const EventRefSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  position: z.bigint(),
  revision: z.bigint(),
  actor: Actor,
  recordedAt: z.string().describe('when the store appended it (UTC ISO date-time)'),
  occurredAt: z.string().describe('when it happened (ISO date-time, Europe/London offset)'),
});
export type EventRef = z.infer<typeof EventRefSchema>;

export const FigureSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Figure = z.infer<typeof FigureSchema>;

/** Where a rule's shortfall shows on a tutor's cohort overview and a student's record at a glance. */
export const RuleAreaSchema = z.enum([
  'status',
  'entry',
  'attendance',
  'visits',
  'marks',
  'outcomes',
  'portfolio',
  'time-limits',
]);
export type RuleArea = z.infer<typeof RuleAreaSchema>;

export const RuleOutcomeSchema = z.enum(['met', 'not-met', 'failed', 'lapsed', 'fallback', 'not-applicable']);
export type RuleOutcome = z.infer<typeof RuleOutcomeSchema>;

export const RuleResultSchema = z.object({
  rule: z.string().describe('the rule id (src/domain/rules/index.ts lists them in order)'),
  title: z.string(),
  source: z.string().describe('the seed, regulation or provider default the rule encodes'),
  area: RuleAreaSchema,
  outcome: RuleOutcomeSchema,
  reason: z.string(),
  figures: z.record(z.string(), FigureSchema),
  outstanding: z.array(z.string()),
  events: z.array(EventRefSchema),
  metOn: z
    .string()
    .nullable()
    .describe('when met: the day the requirement was met (the last fact it needed), where the rule is one'),
});
export type RuleResult = z.infer<typeof RuleResultSchema>;

export const MarkStepSchema = z.object({
  ref: EventRefSchema,
  mark: z.number(),
  kind: z.enum(['marked', 'moderated', 'corrected']),
  reason: z.string().optional(),
});
export type MarkStep = z.infer<typeof MarkStepSchema>;

/** A mark and everything that happened to it: marked, moderated, corrected, ratified. */
export const MarkChainSchema = z.object({
  rootEventId: z.string(),
  moduleCode: z.string(),
  attempt: z.number(),
  steps: z.array(MarkStepSchema),
  mark: z.number().describe('the mark as it stands (the last step), before any resubmission cap'),
  headEventId: z.string(),
  ratified: z
    .object({
      examBoardId: z.string(),
      boardDate: z.string(),
      mark: z.number(),
      headEventId: z.string(),
      ref: EventRefSchema,
    })
    .nullable(),
});
export type MarkChain = z.infer<typeof MarkChainSchema>;

export const ModuleStatusSchema = z.enum([
  'apl-approved',
  'passed', // ratified pass
  'passed-provisional', // pass awaiting the exam board
  'resubmission-available', // ratified fail with a resubmission left
  'failed', // ratified fail of the last attempt allowed
  'marked-provisional', // a fail not yet ratified
  'resubmission-permitted', // a resubmission permitted, nothing submitted for it yet
  'submitted',
  'not-started',
]);
export type ModuleStatus = z.infer<typeof ModuleStatusSchema>;

export const AttemptStandingSchema = z.object({
  attempt: z.number(),
  permitted: z.boolean().describe('whether registry permitted this attempt as a resubmission'),
  dueBy: z.string().nullable().describe("a permitted resubmission's deadline"),
  submittedOn: z
    .string()
    .nullable()
    .describe("the latest final submission's date; null while nothing is submitted"),
  mark: z.number().nullable(),
  cappedAt: z.number().nullable(),
  effectiveMark: z.number().nullable(),
  result: z.enum(['pass', 'fail']).nullable().describe("a pass/fail assessment's result (null when marked)"),
  passed: z.boolean().nullable(),
  ratified: z.boolean().describe('ratified (a mark) or confirmed (a pass/fail result) by a board'),
  ratifiedOn: z.string().nullable().describe("the board's date"),
  changedAfterRatification: z
    .boolean()
    .describe('a moderation or correction after ratification makes the mark provisional again'),
  chain: MarkChainSchema.nullable(),
});
export type AttemptStanding = z.infer<typeof AttemptStandingSchema>;

export const ModuleStandingSchema = z.object({
  moduleCode: z.string(),
  title: z.string(),
  credits: z.number(),
  required: z.boolean(),
  passMark: z.number().nullable().describe('null for a pass/fail assessment'),
  status: ModuleStatusSchema,
  creditsEarned: z.number(),
  provisionalCredits: z.number(),
  attempts: z.array(AttemptStandingSchema),
  attemptsAllowed: z.number(),
  apl: z.object({ claimId: z.string(), route: z.string(), ref: EventRefSchema }).nullable(),
  events: z.array(EventRefSchema),
});
export type ModuleStanding = z.infer<typeof ModuleStandingSchema>;

export const CreditLedgerSchema = z.object({
  modules: z.array(ModuleStandingSchema),
  earned: z.number().describe('ratified and APL credits, capped at the programme total'),
  earnedIncludingProvisional: z
    .number()
    .describe('what the total would be if every provisional pass were ratified (also capped)'),
  required: z.number(),
  aplModulesCounted: z.number(),
  aplCap: z.number(),
});
export type CreditLedger = z.infer<typeof CreditLedgerSchema>;

export const DecisionOutcomeSchema = z.enum([
  'awarded',
  'fallback-certificate',
  'exit-award',
  'not-yet-eligible',
  'failed',
  'withdrawn',
  'lapsed',
]);
export type DecisionOutcome = z.infer<typeof DecisionOutcomeSchema>;

/** What kind of award a decision gives: the qualification itself, or what is given instead of it. */
export const AwardKindSchema = z.enum(['qualification', 'fallback-certificate', 'exit-award']);
export type AwardKind = z.infer<typeof AwardKindSchema>;

/** Whether the qualification satisfies the SENCO duty for this student's dates (reg. 49(7)), and why. */
export const DutySchema = z.object({
  qualification: z.object({ kind: z.string(), title: z.string() }),
  satisfies: z.enum(['yes', 'no', 'not-yet']),
  reason: z.string(),
  startedOn: z.string().nullable(),
  completedOn: z
    .string()
    .nullable()
    .describe('the day the last requirement was met (not the day of conferral or of evaluation)'),
  completedBy: z.string().nullable().describe('the rule whose requirement was met last'),
  startOnOrAfter: z.string().nullable(),
  startBefore: z.string().nullable(),
  completeBefore: z.string().nullable(),
  wouldSatisfy: z.string().nullable().describe('what would satisfy the duty, when this does not'),
  source: z.string(),
  events: z.array(EventRefSchema),
});
export type Duty = z.infer<typeof DutySchema>;

export const DecisionSchema = z.object({
  studentId: z.string(),
  outcome: DecisionOutcomeSchema,
  award: AwardKindSchema.nullable(),
  title: z.string().nullable().describe('the main award given'),
  awards: z.array(z.string()).describe('every award the decision gives (dual awards beside the main one)'),
  summary: z.string(),
  specification: z.object({ programmeId: z.string(), version: z.number(), title: z.string() }),
  framework: z.object({ frameworkId: z.string(), version: z.number() }),
  evaluatedOn: z.string().describe('the London date the decision is evaluated on'),
  asOf: z.object({ position: z.bigint(), streamRevision: z.bigint() }),
  rules: z.array(RuleResultSchema),
  outstanding: z.array(z.string()),
  credits: CreditLedgerSchema,
  duty: DutySchema.describe('the statutory effect: it never changes the award'),
  digest: z.string().describe('sha-256 of what was decided and why'),
});
export type Decision = z.infer<typeof DecisionSchema>;
