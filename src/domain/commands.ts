import { z } from 'zod';
import {
  AssignmentMarked,
  AssignmentSubmitted,
  MarkCorrected,
  MarkModerated,
  MarksRatified,
  PortfolioCompleted,
  ResubmissionPermitted,
  VivaHeld,
} from '../../events/assessment.ts';
import {
  FacilitatedDayAttended,
  WebexAbsenceDecided,
  WebexAbsenceReported,
  WebexCatchUpCompleted,
  WebexSessionAttended,
} from '../../events/attendance.ts';
import { AwardConferred, AwardDecisionWithdrawn, AwardReviewResolved } from '../../events/award.ts';
import { Attempt, Code, IsoDate, ModuleCode, Reason, StaffRef } from '../../events/common.ts';
import type { Role } from '../../events/envelope.ts';
import { BoardOutcome, ExtendableLimit, MitigatingCircumstancesSubmitted } from '../../events/exam-board.ts';
import { OutcomeEvidenceSubmitted, OutcomeSignedOff, OutcomeSignOffRevoked } from '../../events/outcomes.ts';
import {
  AssessmentResultRecorded,
  AssessmentResultsConfirmed,
  AssessmentSat,
  SessionParticipationRecorded,
} from '../../events/participation.ts';
import { ADULT_AGE, isAdultOn, PersonalDetails } from '../../events/personal.ts';
import { AplClaimDecided, AplClaimSubmitted } from '../../events/prior-learning.ts';
import {
  ApplicantSchool,
  ApplicationSubmitted,
  EligibilityAssessed,
  ExtensionGranted,
  MentorAssigned,
  NeedsAnalysisCompleted,
  PersonalDataErased,
  PlaceOffered,
  QtsEvidenceRecorded,
  SencoAppointmentRecorded,
  SencoRoleConfirmed,
  StudentEnrolled,
  StudentWithdrawn,
  StudyInterrupted,
  StudyResumed,
} from '../../events/registration.ts';
import { PartnerSchoolVisitRecorded } from '../../events/visits.ts';

// The commands a student's record accepts. Each input schema is derived from the schema of the event it
// produces wherever the two coincide, so a shape is written once; the rest name only what the caller
// knows (a correction names the event and the new mark; the decider fills in the module and the old mark).

export const commandDefinitions = {
  submitApplication: {
    roles: ['registry'],
    summary: 'Record an application (creates the student record; personal details are sealed)',
    schema: ApplicationSubmitted.schema
      .omit({ studentId: true, personal: true, school: true, schoolInClear: true })
      .extend({ personal: PersonalDetails, school: ApplicantSchool })
      .superRefine((v, ctx) => {
        if (!isAdultOn(v.personal.dateOfBirth, v.submittedOn))
          ctx.addIssue({
            code: 'custom',
            path: ['personal', 'dateOfBirth'],
            message: `makes the applicant younger than ${ADULT_AGE} on the day they applied (${v.submittedOn})`,
          });
      }),
  },
  recordQtsEvidence: {
    roles: ['registry'],
    summary: 'Record QTS/QTLS evidence',
    schema: QtsEvidenceRecorded.schema,
  },
  confirmSencoRole: {
    roles: ['registry'],
    summary: 'Record the governing body or headteacher confirmation',
    schema: SencoRoleConfirmed.schema,
  },
  recordSencoAppointment: {
    roles: ['registry'],
    summary: 'Record the date appointed SENCO and prior SENCO service',
    schema: SencoAppointmentRecorded.schema,
  },
  assessEligibility: {
    roles: ['registry'],
    summary: 'Record the eligibility assessment',
    schema: EligibilityAssessed.schema,
  },
  offerPlace: {
    roles: ['registry'],
    summary: 'Offer a place on a cohort',
    schema: PlaceOffered.schema,
  },
  enrol: {
    roles: ['registry'],
    summary: 'Enrol on the offered cohort (and its programme specification version)',
    // the programme, specification and framework versions come from the cohort, not the caller
    schema: StudentEnrolled.schema.pick({ cohortId: true, enrolledOn: true }),
  },
  assignMentor: { roles: ['registry', 'tutor'], summary: 'Assign a mentor', schema: MentorAssigned.schema },
  completeNeedsAnalysis: {
    roles: ['tutor'],
    summary: 'Record the initial needs analysis',
    schema: NeedsAnalysisCompleted.schema,
  },
  recordWebexAttendance: {
    roles: ['tutor'],
    summary: 'Record WebEx attendance',
    schema: WebexSessionAttended.schema,
  },
  reportWebexAbsence: {
    roles: ['tutor'],
    summary: 'Record a reported WebEx absence and its reason',
    schema: WebexAbsenceReported.schema,
  },
  decideWebexAbsence: {
    roles: ['registry'],
    summary:
      'Authorise a reported WebEx absence, or not (seed 004 Q5: only an authorised absence may be caught up where the programme says so)',
    schema: WebexAbsenceDecided.schema,
  },
  completeWebexCatchUp: {
    roles: ['tutor'],
    summary: 'Record the catch-up after a reported absence',
    schema: WebexCatchUpCompleted.schema,
  },
  recordFacilitatedDay: {
    roles: ['tutor'],
    summary: 'Record attendance at a facilitated day',
    schema: FacilitatedDayAttended.schema,
  },
  recordPartnerSchoolVisit: {
    roles: ['tutor'],
    summary: 'Record a partner-school visit',
    schema: PartnerSchoolVisitRecorded.schema,
  },
  submitAssignment: { roles: ['tutor'], summary: 'Record a submission', schema: AssignmentSubmitted.schema },
  markAssignment: {
    roles: ['tutor'],
    summary: 'Record a first mark (the marker is the signed-in tutor unless named)',
    schema: AssignmentMarked.schema.omit({ marker: true }).extend({ marker: StaffRef.optional() }),
  },
  moderateMark: {
    roles: ['tutor'],
    summary: 'Moderate a mark (second marking)',
    schema: MarkModerated.schema.pick({
      markEventId: true,
      moderatedMark: true,
      moderatedOn: true,
      note: true,
    }),
  },
  correctMark: {
    roles: ['admin'],
    summary: 'Correct a mark by appending a correction that names the event it corrects',
    schema: MarkCorrected.schema.pick({ correctsEventId: true, correctedMark: true, reason: true }),
  },
  permitResubmission: {
    roles: ['registry'],
    summary: 'Permit a resubmission of a failed module (capped at the pass mark where the programme says so)',
    schema: ResubmissionPermitted.schema.pick({ moduleCode: true, deadline: true }).extend({
      permittedOn: IsoDate.optional().describe('when it was permitted, e.g. the exam board (default today)'),
    }),
  },
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
  recordParticipation: {
    roles: ['tutor'],
    summary:
      "Record that the student took part in one of the cohort's sessions or activities (a participation threshold counts them)",
    schema: SessionParticipationRecorded.schema.omit({ kind: true }),
  },
  sitAssessment: {
    roles: ['tutor'],
    summary:
      "Record an assessment sat and handed in within one of the cohort's windows (refused below the participation threshold)",
    schema: AssessmentSat.schema.pick({ moduleCode: true, attempt: true, windowId: true, submittedOn: true }),
  },
  recordAssessmentResult: {
    roles: ['tutor'],
    summary: 'Record the result of a pass/fail assessment (provisional until the board confirms it)',
    schema: AssessmentResultRecorded.schema.omit({ assessor: true }),
  },
  confirmResults: {
    roles: ['registry'],
    summary:
      "Confirm the pass/fail results at the awarding body's board (a lead provider's assessment board or an exam board)",
    schema: AssessmentResultsConfirmed.schema.pick({ examBoardId: true, boardDate: true }),
  },
  submitAplClaim: {
    roles: ['tutor'],
    summary: 'Submit an APL/RPL claim for one module',
    schema: AplClaimSubmitted.schema,
  },
  decideAplClaim: {
    roles: ['registry'],
    summary: 'Approve or reject an APL/RPL claim',
    schema: AplClaimDecided.schema.omit({ decidedBy: true, moduleCode: true }),
  },
  submitOutcomeEvidence: {
    roles: ['tutor'],
    summary: 'Add evidence towards a learning outcome',
    schema: OutcomeEvidenceSubmitted.schema.omit({ frameworkId: true, frameworkVersion: true }),
  },
  signOffOutcome: {
    roles: ['tutor'],
    summary: 'Sign off a learning outcome (assessors only)',
    schema: OutcomeSignedOff.schema.pick({ outcomeCode: true, evidenceEventIds: true, signedOffOn: true }),
  },
  revokeSignOff: {
    roles: ['tutor', 'registry'],
    summary: 'Revoke a sign-off, naming it and why',
    schema: OutcomeSignOffRevoked.schema.omit({ outcomeCode: true }),
  },
  completePortfolio: {
    roles: ['tutor'],
    summary: 'Record a completed portfolio',
    schema: PortfolioCompleted.schema.omit({ assessedBy: true }),
  },
  recordViva: { roles: ['tutor'], summary: 'Record a viva voce', schema: VivaHeld.schema },
  grantExtension: {
    roles: ['registry'],
    summary: 'Extend a time limit for this student',
    schema: ExtensionGranted.schema.omit({ authorisedBy: true }),
  },
  interruptStudy: { roles: ['registry'], summary: 'Interrupt study', schema: StudyInterrupted.schema },
  resumeStudy: { roles: ['registry'], summary: 'Resume study', schema: StudyResumed.schema },
  withdrawStudent: { roles: ['registry'], summary: 'Withdraw the student', schema: StudentWithdrawn.schema },
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
  erasePersonalData: {
    roles: ['admin'],
    summary: 'Erase personal data on a lawful request (destroys the student key)',
    schema: PersonalDataErased.schema,
  },
} as const satisfies Record<string, { roles: readonly Role[]; summary: string; schema: z.ZodObject }>;

export type CommandName = keyof typeof commandDefinitions;
export type CommandInput<N extends CommandName = CommandName> = z.infer<
  (typeof commandDefinitions)[N]['schema']
>;

/** A command as the decider receives it: validated input; personal details already sealed. */
export type Command = {
  [N in CommandName]: { name: N; data: N extends 'submitApplication' ? DecidedApplication : CommandInput<N> };
}[CommandName];

export type DecidedApplication = Omit<CommandInput<'submitApplication'>, 'personal' | 'school'> & {
  studentId: string;
  personal: z.infer<typeof ApplicationSubmitted.schema>['personal'];
  school: z.infer<typeof ApplicationSubmitted.schema>['school'];
};

export const commandNames = Object.keys(commandDefinitions) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandDefinitions, name);
}

/** Commands a withdrawn student's record still accepts. */
export const AFTER_WITHDRAWAL: ReadonlySet<CommandName> = new Set([
  'withdrawAward',
  'resolveAwardReview',
  'erasePersonalData',
]);

/** Commands an interrupted student's record still accepts. */
export const DURING_INTERRUPTION: ReadonlySet<CommandName> = new Set([
  ...AFTER_WITHDRAWAL,
  'resumeStudy',
  'withdrawStudent',
  'grantExtension',
  'ratifyMarks',
  'confirmResults',
  'revokeSignOff',
  // an interruption is often what a claim is about; the board still decides it
  'recordBoardOutcome',
  'submitMitigatingCircumstances',
  'decideMitigatingCircumstances',
]);
