import type { Ledger } from '../../src/app/ledger.ts';
import { staff } from '../../src/demo/journeys.ts';
import type { CommandName } from '../../src/domain/commands.ts';

// A schema-valid body for every command: what the role matrix sends, and what the fuzz test mutates.
// (Valid in shape; the rules may still refuse them for a given student, which is a 422.)

export const sampleBodies: Record<CommandName, Record<string, unknown>> = {
  submitApplication: {
    personal: {
      fullName: 'Ada Lovelace',
      email: 'ada@school.example',
      dateOfBirth: '1984-12-10',
      teacherReferenceNumber: '1234567',
    },
    programmeId: 'blended-3module',
    school: { name: 'Hill Primary', type: 'academy' },
    intake: 'autumn',
    submittedOn: '2024-06-01',
  },
  recordQtsEvidence: { status: 'QTS', trnChecked: true, awardedOn: '2010-07-01', inductionCompleted: true },
  confirmSencoRole: {
    basis: 'governing-body-designation',
    confirmedByRole: 'Chair of governors',
    confirmedOn: '2024-06-01',
  },
  recordSencoAppointment: { appointedOn: '2024-01-01', priorSencoMonths: 0, schoolType: 'academy' },
  assessEligibility: { eligible: true, route: 'national-award' },
  offerPlace: { cohortId: 'blended-2024-spring-online', offeredOn: '2024-06-01' },
  enrol: { cohortId: 'blended-2024-spring-online', enrolledOn: '2024-06-15' },
  assignMentor: { mentorRole: 'headteacher', sameSchool: true, assignedOn: '2024-06-15' },
  completeNeedsAnalysis: { completedOn: '2024-06-20', focusAreas: ['A1'] },
  recordWebexAttendance: { sessionId: 'webex-M1-1', moduleCode: 'M1', attendedOn: '2024-01-08' },
  reportWebexAbsence: {
    sessionId: 'webex-M2-1',
    moduleCode: 'M2',
    reason: 'Ofsted inspection',
    reportedOn: '2024-04-08',
  },
  decideWebexAbsence: {
    sessionId: 'webex-M2-1',
    moduleCode: 'M2',
    decision: 'authorised',
    decidedOn: '2024-04-10',
    reason: 'Unforeseen: an Ofsted inspection',
  },
  completeWebexCatchUp: {
    sessionId: 'webex-M2-1',
    moduleCode: 'M2',
    completedOn: '2024-04-20',
    how: 'Watched the recording',
  },
  recordFacilitatedDay: { sessionId: 'day-1', attendedOn: '2024-01-08', mode: 'online' },
  recordPartnerSchoolVisit: {
    school: { name: 'Oak Secondary' },
    phase: 'secondary',
    visitedOn: '2024-02-01',
    moduleCode: 'M1',
    hours: 5,
  },
  submitAssignment: {
    moduleCode: 'M1',
    attempt: 1,
    kind: 'final',
    submittedOn: '2024-03-01',
    wordCount: 3000,
  },
  markAssignment: { moduleCode: 'M1', attempt: 1, mark: 64, markedOn: '2024-03-20' },
  moderateMark: {
    markEventId: '01a20bf6-0000-7000-8000-000000000000',
    moderatedMark: 60,
    moderatedOn: '2024-03-25',
  },
  correctMark: {
    correctsEventId: '01a20bf6-0000-7000-8000-000000000000',
    correctedMark: 55,
    reason: 'Arithmetic error',
  },
  permitResubmission: { moduleCode: 'M2', deadline: '2025-01-31' },
  ratifyMarks: { examBoardId: 'board-2024-11', boardDate: '2024-11-15' },
  recordBoardOutcome: {
    examBoardId: 'board-2024-11',
    moduleCode: 'M2',
    outcome: 'refer',
    deadline: '2025-02-28',
  },
  submitMitigatingCircumstances: {
    claimId: 'mc-1',
    submittedOn: '2024-11-01',
    circumstances: 'Hospital admission during the assessment period',
    evidence: [{ kind: 'medical-note', reference: 'mc/hospital-letter.pdf' }],
    affects: [{ kind: 'module', moduleCode: 'M3' }],
    requested: 'deferral',
  },
  decideMitigatingCircumstances: {
    claimId: 'mc-1',
    examBoardId: 'board-2024-11',
    decision: 'accepted',
    remedy: { kind: 'deferral', moduleCode: 'M3', deadline: '2025-03-31' },
    reason: 'Evidence shows the illness affected the submission',
  },
  recordParticipation: { sessionId: 'session-1', participatedOn: '2024-02-01' },
  sitAssessment: { moduleCode: 'M1', attempt: 1, windowId: 'window-1', submittedOn: '2024-03-01' },
  recordAssessmentResult: { moduleCode: 'M1', attempt: 1, result: 'pass', assessedOn: '2024-03-20' },
  confirmResults: { examBoardId: 'board-2024-11', boardDate: '2024-11-15' },
  submitAplClaim: {
    claimId: 'apl-x',
    moduleCode: 'M1',
    route: 'APL',
    submittedOn: '2024-01-10',
    evidenceSummary: 'Certificate in SEN leadership',
  },
  decideAplClaim: {
    claimId: 'apl-x',
    decision: 'approved',
    decidedOn: '2024-02-01',
    reason: 'Meets the outcomes',
  },
  submitOutcomeEvidence: {
    outcomeCode: 'A1.1',
    evidence: { kind: 'document', reference: 'pdp/a11.pdf' },
    submittedOn: '2024-05-01',
  },
  signOffOutcome: {
    outcomeCode: 'A1.1',
    evidenceEventIds: ['01a20bf6-0000-7000-8000-000000000000'],
    signedOffOn: '2024-05-02',
  },
  revokeSignOff: {
    signOffEventId: '01a20bf6-0000-7000-8000-000000000000',
    reason: 'Evidence was misfiled',
    revokedOn: '2024-05-03',
  },
  completePortfolio: { portfolio: 'pdp', completedOn: '2024-09-01' },
  recordViva: { heldOn: '2024-09-01', outcome: 'pass', examiners: [{ id: 'tutor-1' }] },
  grantExtension: { timeLimit: 'outcomes', newDeadline: '2025-12-31', reason: 'Long-term illness' },
  interruptStudy: { from: '2024-05-01', expectedReturn: '2024-09-01', reason: 'Maternity leave' },
  resumeStudy: { on: '2024-09-01' },
  withdrawStudent: { on: '2024-10-01', reason: 'Left the SENCO post' },
  conferAward: { examBoardId: 'board-2024-11', conferredOn: '2024-11-15' },
  withdrawAward: {
    awardEventId: '01a20bf6-0000-7000-8000-000000000000',
    reason: 'Issued in error',
    withdrawnOn: '2024-11-20',
  },
  resolveAwardReview: {
    awardEventId: '01a20bf6-0000-7000-8000-000000000000',
    note: 'Reviewed: the award stands',
    resolvedOn: '2024-11-20',
  },
  erasePersonalData: { requestReference: 'DPA-1', erasedOn: '2024-11-20' },
};

/**
 * The sample application for the n-th applicant: another teacher reference number and email, so that
 * it is not refused as a duplicate of an earlier one (an applicant applies once for a programme).
 */
export function anApplication(n: number): Record<string, unknown> {
  const sample = sampleBodies.submitApplication as { personal: Record<string, unknown> };
  return {
    ...sample,
    personal: {
      ...sample.personal,
      email: `applicant${n}@school.example`,
      teacherReferenceNumber: String(3_000_000 + n),
    },
  };
}

/** The n-th sample application, under the given full name, submitted by registry staff: the new student's id. */
export async function applyAs(ledger: Ledger, n: number, fullName: string): Promise<string> {
  const body = anApplication(n) as { personal: Record<string, unknown> };
  const created = await ledger.execute(
    null,
    'submitApplication',
    { ...body, personal: { ...body.personal, fullName } },
    { actor: staff.registry },
  );
  return created.streamId.slice('student-'.length);
}
