import { z } from 'zod';
import { AwardConferred } from '../../../events/award.ts';
import {
  BoardOutcome,
  MitigatingCircumstancesSubmitted,
  MitigationRemedy,
} from '../../../events/exam-board.ts';
import { SealedDetails } from '../../../events/personal.ts';
import {
  ApplicationSubmitted,
  EligibilityAssessed,
  MentorAssigned,
  NeedsAnalysisCompleted,
  PlaceOffered,
  QtsEvidenceRecorded,
  SencoAppointmentRecorded,
  SencoRoleConfirmed,
  StudentEnrolled,
} from '../../../events/registration.ts';
import { decisionFor } from '../../../projections/eligibility.ts';
import { DecisionOutcomeSchema, EventRefSchema, MarkChainSchema } from '../../domain/rules/schema.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { Describes } from '../json.ts';
import { personalDetails } from './records.ts';
import type { QuerySources } from './sources.ts';

// A student's record as the API shows it: everything their stream says, folded, without the internal
// indexes (which event belongs to which mark chain, sign-off or evidence), with a status in one word and
// the personal details in clear for those who may see them. And the one-line summary of the list.

const ref = { ref: EventRefSchema };

export const RecordStatusSchema = z.enum([
  'withdrawn',
  'interrupted',
  'awarded',
  'enrolled',
  'offered',
  'applied',
]);

const AwardRecordSchema = z.object({
  ref: EventRefSchema,
  award: AwardConferred.schema.shape.award,
  title: z.string(),
  awards: z.array(z.string()).describe('every award conferred, the main one first'),
  examBoardId: z.string(),
  conferredOn: z.string(),
  decidedAt: z.object({ position: z.bigint(), streamRevision: z.bigint(), evaluatedOn: z.string() }),
  specification: z.object({ programmeId: z.string(), version: z.number() }),
  decisionDigest: z.string(),
  duty: AwardConferred.schema.shape.duty,
  withdrawn: z.object({ reason: z.string(), ref: EventRefSchema }).nullable(),
  reviewResolved: z.object({ resolution: z.string(), ref: EventRefSchema }).nullable(),
});

const ModuleAttemptSchema = z.object({
  attempt: z.number(),
  capAt: z.number().nullable(),
  permitted: EventRefSchema.nullable(),
  deadline: z.string().nullable().describe("a permitted resubmission's deadline, if it has one"),
  submissions: z.array(z.object({ kind: z.enum(['plan', 'final']), submittedOn: z.string(), ...ref })),
  markChain: z.string().nullable().describe('the root event id of this attempt’s mark chain'),
  window: z
    .object({ windowId: z.string(), opensOn: z.string(), closesOn: z.string(), ...ref })
    .nullable()
    .describe('the cohort window the attempt was sat in'),
  result: z
    .object({
      result: z.enum(['pass', 'fail']),
      assessedOn: z.string(),
      ...ref,
      confirmed: z.object({ examBoardId: z.string(), boardDate: z.string(), ...ref }).nullable(),
    })
    .nullable()
    .describe('a pass/fail result, and the board that confirmed it'),
  markedOn: z.string().nullable().describe("the first mark's date"),
  deferral: z
    .object({ ref: EventRefSchema, claim: EventRefSchema.nullable() })
    .nullable()
    .describe(
      "a first sit given by an exam board's deferral (uncapped, not counted), with the claim's decision",
    ),
  board: z
    .object({ outcome: BoardOutcome, examBoardId: z.string(), ...ref })
    .nullable()
    .describe("the exam board's outcome for this attempt"),
});

const OutcomeProgressSchema = z.object({
  evidence: z.array(z.object({ eventId: z.string(), submittedOn: z.string(), ...ref })),
  signOff: z
    .object({ signedOffOn: z.string(), assessorId: z.string(), frameworkVersion: z.number(), ...ref })
    .nullable(),
  revocations: z.array(z.object({ reason: z.string(), revokedOn: z.string(), ...ref })),
});

export const RecordViewSchema = z.object({
  studentId: z.string(),
  streamId: z.string(),
  revision: z.bigint(),
  lastPosition: z.bigint(),
  lastRecordedAt: z.string(),
  status: RecordStatusSchema,
  application: z
    .object({
      programmeId: z.string(),
      intake: z.enum(['autumn', 'spring']),
      submittedOn: z.string(),
      school: ApplicationSubmitted.schema.shape.school,
      ...ref,
    })
    .nullable(),
  qts: QtsEvidenceRecorded.schema.extend(ref).nullable(),
  role: SencoRoleConfirmed.schema.extend(ref).nullable(),
  appointment: SencoAppointmentRecorded.schema.extend(ref).nullable(),
  eligibility: EligibilityAssessed.schema.extend(ref).nullable(),
  offer: PlaceOffered.schema.extend(ref).nullable(),
  enrolment: StudentEnrolled.schema.extend(ref).nullable(),
  mentor: MentorAssigned.schema.extend(ref).nullable(),
  needsAnalysis: NeedsAnalysisCompleted.schema.extend(ref).nullable(),
  webex: z.record(
    z.string(),
    z.object({
      moduleCode: z.string(),
      attended: EventRefSchema.nullable(),
      absence: z.object({ reason: z.string(), ...ref }).nullable(),
      authorisation: z.object({ decision: z.enum(['authorised', 'not-authorised']), ...ref }).nullable(),
      catchUp: EventRefSchema.nullable(),
    }),
  ),
  facilitatedDays: z.record(z.string(), z.object({ attendedOn: z.string(), mode: z.string(), ...ref })),
  participation: z.record(
    z.string(),
    z.object({ kind: z.enum(['session', 'activity']), participatedOn: z.string(), ...ref }),
  ),
  resultEvents: z.record(z.string(), z.object({ moduleCode: z.string(), attempt: z.number() })),
  visits: z.array(
    z.object({ moduleCode: z.string(), visitedOn: z.string(), phase: z.string(), hours: z.number(), ...ref }),
  ),
  modules: z.record(z.string(), z.array(ModuleAttemptSchema)),
  markChains: z.record(z.string(), MarkChainSchema),
  aplClaims: z.record(
    z.string(),
    z.object({
      claimId: z.string(),
      moduleCode: z.string(),
      route: z.enum(['APL', 'RPL']),
      submitted: EventRefSchema,
      decision: z
        .object({
          decision: z.enum(['approved', 'rejected']),
          decidedOn: z.string(),
          reason: z.string(),
          ...ref,
        })
        .nullable(),
    }),
  ),
  outcomes: z.record(z.string(), OutcomeProgressSchema),
  portfolios: z.record(z.string(), z.object({ completedOn: z.string(), ...ref })),
  viva: z.object({ heldOn: z.string(), outcome: z.enum(['pass', 'fail', 'referred']), ...ref }).nullable(),
  extensions: z.record(z.string(), z.object({ newDeadline: z.string(), reason: z.string(), ...ref })),
  interruption: z.object({ from: z.string(), expectedReturn: z.string().nullable(), ...ref }).nullable(),
  interruptions: z
    .array(
      z.object({
        from: z.string(),
        resumedOn: z.string().nullable(),
        ...ref,
        resumedRef: EventRefSchema.nullable(),
      }),
    )
    .describe('every interruption of study, in order: each pauses the time limits for its length'),
  withdrawal: z.object({ on: z.string(), reason: z.string(), ...ref }).nullable(),
  erasure: z.object({ erasedOn: z.string(), ...ref }).nullable(),
  awards: z.array(AwardRecordSchema),
  boardOutcomes: z
    .array(
      z.object({
        examBoardId: z.string(),
        boardDate: z.string(),
        moduleCode: z.string(),
        attempt: z.number(),
        outcome: BoardOutcome,
        externalExaminers: z.array(z.string()),
        mitigatingClaimId: z.string().nullable(),
        ...ref,
      }),
    )
    .describe('each outcome an exam board recorded, in order'),
  mitigatingCircumstances: z
    .record(
      z.string(),
      z.object({
        claimId: z.string(),
        submittedOn: z.string(),
        requested: z.enum(['deferral', 'extension']),
        affects: MitigatingCircumstancesSubmitted.schema.shape.affects,
        submitted: EventRefSchema,
        decision: z
          .object({
            decision: z.enum(['accepted', 'rejected']),
            examBoardId: z.string(),
            decidedOn: z.string(),
            remedy: MitigationRemedy.nullable(),
            reason: z.string(),
            ...ref,
          })
          .nullable(),
      }),
    )
    .describe("mitigating-circumstances claims by id, with the board's decision once made"),
  personal: z
    .union([SealedDetails, z.object({ erased: z.literal(true) })])
    .optional()
    .describe('in clear for those who may see it; { erased: true } after an erasure; absent for examiners'),
});
export type RecordView = z.infer<typeof RecordViewSchema>;

/** The record's own fields the view leaves out: indexes for the fold, and the sealed application. */
type Internal = 'markEventChain' | 'signOffEvents' | 'evidenceEvents' | 'eventTypes' | 'application';
/** Tables the record keeps as Maps (keyed by event id) and the view shows as objects. */
type Tables = 'markChains' | 'resultEvents';
const _recordFields: Describes<
  Omit<RecordView, 'status' | 'application' | 'personal' | Tables>,
  Omit<StudentRecord, Internal | Tables>
> = true;
const _tableFields: Describes<
  Pick<RecordView, Tables>,
  { [K in Tables]: Record<string, StudentRecord[K] extends Map<string, infer V> ? V : never> }
> = true;

export function statusOf(record: StudentRecord): z.infer<typeof RecordStatusSchema> {
  if (record.withdrawal) return 'withdrawn';
  if (record.interruption) return 'interrupted';
  if (record.awards.some((a) => !a.withdrawn)) return 'awarded';
  if (record.enrolment) return 'enrolled';
  return record.offer ? 'offered' : 'applied';
}

export function recordView(sources: QuerySources, record: StudentRecord, showPersonal: boolean): RecordView {
  const {
    markEventChain: _a,
    signOffEvents: _b,
    evidenceEvents: _c,
    eventTypes: _d,
    application,
    ...rest
  } = record;
  const details = showPersonal && application ? personalDetails(sources, record) : undefined;
  return {
    ...rest,
    markChains: Object.fromEntries(record.markChains),
    resultEvents: Object.fromEntries(record.resultEvents),
    status: statusOf(record),
    application: application
      ? {
          programmeId: application.programmeId,
          intake: application.intake,
          submittedOn: application.submittedOn,
          school: application.school,
          ref: application.ref,
        }
      : null,
    personal: showPersonal ? (details ?? { erased: true }) : undefined,
  };
}

export const StudentSummarySchema = z.object({
  studentId: z.string(),
  name: z.string().nullable().describe('null for examiners, and after an erasure'),
  cohortId: z.string().nullable(),
  programme: z.string().nullable(),
  outcome: DecisionOutcomeSchema.nullable(),
  creditsEarned: z.number(),
  revision: z.bigint(),
});
export type StudentSummary = z.infer<typeof StudentSummarySchema>;

/** One line of the students list: who, where, and the decision today. */
export function studentSummary(
  sources: QuerySources,
  record: StudentRecord,
  today: string,
  showPersonal: boolean,
): StudentSummary {
  const decision = decisionFor(record, sources.reference, today);
  const personal = showPersonal ? personalDetails(sources, record) : null;
  return {
    studentId: record.studentId,
    name: personal?.fullName ?? null,
    cohortId: record.enrolment?.cohortId ?? null,
    programme: record.enrolment
      ? `${record.enrolment.programmeId} v${record.enrolment.specVersion}`
      : (record.application?.programmeId ?? null),
    outcome: decision?.outcome ?? null,
    creditsEarned: decision?.credits.earned ?? 0,
    revision: record.revision,
  };
}
