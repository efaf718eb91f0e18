import { z } from 'zod';
import type { EventType } from '../events/index.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import { type Assessment, assessAward, type Decision, withDigest } from '../src/domain/rules/index.ts';
import { DecisionOutcomeSchema, EventRefSchema } from '../src/domain/rules/schema.ts';
import { refOf, type StudentRecord, standingAward } from '../src/domain/student-record.ts';
import type { Projection } from './projection.ts';
import { students } from './students.ts';

// Award eligibility: the registry review flags raised when a later event would change an award already
// conferred. A flag never changes the award; registry resolves it (the award stands) or withdraws the
// award. The decision itself (decisionFor) is computed on read, from the record and the date.

export const ReviewFlagSchema = z.object({
  awardEventId: z.string(),
  conferred: z.enum(['qualification', 'fallback-certificate', 'exit-award']),
  raisedBy: EventRefSchema.describe('the first event after the conferral that changed the decision'),
  decisionNow: DecisionOutcomeSchema.describe(
    'the decision on the conferral date once that event is counted',
  ),
});
export type ReviewFlag = z.infer<typeof ReviewFlagSchema>;

/** A student's review flag, if a later event would change their conferred award. */
export interface EligibilityState {
  flag: ReviewFlag | null;
}

/**
 * What each fact can do to an award already conferred, for every event type (a new one does not compile
 * until it is placed here). Only facts that may change the decision are re-evaluated: those that can only
 * add to what a rule counts (a visit, an attendance, a catch-up, a portfolio, a later deadline) or that
 * no rule reads can never turn an award into something else. Corrections, moderations, ratifications,
 * sign-offs (which may be late), submissions (which may be late), revocations and changes of status can.
 */
const IMPACT = {
  ApplicationSubmitted: 'may-change-the-decision',
  QtsEvidenceRecorded: 'may-change-the-decision',
  SencoRoleConfirmed: 'may-change-the-decision',
  SencoAppointmentRecorded: 'may-change-the-decision',
  EligibilityAssessed: 'may-change-the-decision',
  PlaceOffered: 'may-change-the-decision',
  StudentEnrolled: 'may-change-the-decision',
  StudyInterrupted: 'may-change-the-decision',
  StudyResumed: 'may-change-the-decision',
  StudentWithdrawn: 'may-change-the-decision',
  AssignmentSubmitted: 'may-change-the-decision',
  AssignmentMarked: 'may-change-the-decision',
  MarkModerated: 'may-change-the-decision',
  MarkCorrected: 'may-change-the-decision',
  ResubmissionPermitted: 'may-change-the-decision',
  MarksRatified: 'may-change-the-decision',
  VivaHeld: 'may-change-the-decision',
  FacilitatedDayAttended: 'may-change-the-decision',
  OutcomeSignedOff: 'may-change-the-decision',
  OutcomeSignOffRevoked: 'may-change-the-decision',
  AplClaimSubmitted: 'may-change-the-decision',
  AplClaimDecided: 'may-change-the-decision',
  WebexAbsenceDecided: 'may-change-the-decision',
  SessionParticipationRecorded: 'may-change-the-decision',
  AssessmentSat: 'may-change-the-decision',
  AssessmentResultRecorded: 'may-change-the-decision',
  AssessmentResultsConfirmed: 'may-change-the-decision',
  PartnerSchoolVisitRecorded: 'only-adds',
  WebexSessionAttended: 'only-adds',
  WebexAbsenceReported: 'only-adds',
  WebexCatchUpCompleted: 'only-adds',
  PortfolioCompleted: 'only-adds',
  ExtensionGranted: 'only-adds',
  MentorAssigned: 'only-adds',
  NeedsAnalysisCompleted: 'only-adds',
  OutcomeEvidenceSubmitted: 'only-adds',
  AwardConferred: 'the-conferral-itself',
  // a claim changes nothing until the board decides it; a board's outcome or decision may
  MitigatingCircumstancesSubmitted: 'not-read-by-the-rules',
  BoardOutcomeRecorded: 'may-change-the-decision',
  MitigatingCircumstancesDecided: 'may-change-the-decision',
  PersonalDataErased: 'not-read-by-the-rules',
  AwardDecisionWithdrawn: 'settles-the-review',
  AwardReviewResolved: 'settles-the-review',
  CohortCreated: 'not-a-student-fact',
  CohortStaffAssigned: 'not-a-student-fact',
  ExamBoardHeld: 'not-a-student-fact',
  AssessmentWindowSet: 'not-a-student-fact',
  ProgrammeSpecificationPublished: 'not-a-student-fact',
} as const satisfies {
  [T in EventType]:
    | 'may-change-the-decision'
    | 'only-adds'
    | 'the-conferral-itself'
    | 'not-read-by-the-rules'
    | 'settles-the-review'
    | 'not-a-student-fact';
};

type Handled = {
  [T in EventType]: (typeof IMPACT)[T] extends 'may-change-the-decision' | 'settles-the-review' ? T : never;
}[EventType];

const HANDLED = (Object.keys(IMPACT) as EventType[]).filter(
  (t): t is Handled => IMPACT[t] === 'may-change-the-decision' || IMPACT[t] === 'settles-the-review',
);

/** The specification a record is judged against: its enrolment's, else the latest for its application. */
export function specFor(record: StudentRecord, reference: ReferenceData) {
  if (record.enrolment)
    return reference.findSpecification(record.enrolment.programmeId, record.enrolment.specVersion);
  return record.application ? reference.latestSpecification(record.application.programmeId) : undefined;
}

/** The decision without its digest (what a step of a replay shows), or null with no specification. */
export function assessmentFor(
  record: StudentRecord,
  reference: ReferenceData,
  on: string,
): Assessment | null {
  const spec = specFor(record, reference);
  if (!spec) return null;
  const framework = reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
  return assessAward(record, spec, framework, on);
}

export function decisionFor(record: StudentRecord, reference: ReferenceData, on: string): Decision | null {
  const assessment = assessmentFor(record, reference, on);
  return assessment && withDigest(assessment);
}

/** Listed after `students`: it judges the record the event has just changed. Only flags are kept. */
export const eligibility: Projection<EligibilityState, Handled> = {
  name: 'eligibility',
  // 2: decisions name the award's kind (awarded, exit award) and judge the duty apart; 3: kept by key
  version: 3,
  handles: HANDLED,
  key: (e) => (e.streamId.startsWith('student-') ? e.streamId : null),
  initial: () => ({ flag: null }),
  isEmpty: (state) => state.flag === null,
  apply(state, e, context) {
    const record = context.read(students, e.streamId);
    if (!record) return;
    if (e.type === 'AwardReviewResolved' || e.type === 'AwardDecisionWithdrawn') {
      if (state.flag?.awardEventId === e.data.awardEventId) state.flag = null;
      return;
    }
    const award = standingAward(record);
    if (!award || award.reviewResolved || state.flag) return;
    // Judge on the date the award was decided, so the passing of time alone never raises a flag.
    const decision = decisionFor(record, context.reference, award.decidedAt.evaluatedOn);
    if (decision && decision.award !== award.award) {
      state.flag = {
        awardEventId: award.ref.eventId,
        conferred: award.award,
        raisedBy: refOf(e),
        decisionNow: decision.outcome,
      };
    }
  },
};
