import { refused } from '../../errors.ts';
import type { Command, CommandName } from '../commands.ts';
import type { CommandData } from './context.ts';

// The dates a command states as facts: the day something happened (attended, visited, marked, signed
// off, conferred...). None of them can be after today (Europe/London, given to the decider). Dates that
// look ahead (a deadline, an expected return, a cohort's planned sessions) are not facts and are absent.
// The table names every command, so a new command must say which of its dates are facts.

type DateKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends string ? K : never }[keyof T];
type FactDates = { [N in CommandName]: readonly DateKeys<CommandData<N>>[] };

export const FACT_DATES = {
  submitApplication: ['submittedOn'],
  recordQtsEvidence: ['awardedOn', 'checkedOn'],
  confirmSencoRole: ['confirmedOn'],
  recordSencoAppointment: ['appointedOn', 'recordedOn'],
  assessEligibility: ['assessedOn'],
  offerPlace: ['offeredOn'],
  enrol: ['enrolledOn'],
  assignMentor: ['assignedOn'],
  completeNeedsAnalysis: ['completedOn'],
  recordWebexAttendance: ['attendedOn'],
  reportWebexAbsence: ['reportedOn'],
  decideWebexAbsence: ['decidedOn'],
  completeWebexCatchUp: ['completedOn'],
  recordFacilitatedDay: ['attendedOn'],
  recordPartnerSchoolVisit: ['visitedOn'],
  recordParticipation: ['participatedOn'],
  sitAssessment: ['submittedOn'],
  recordAssessmentResult: ['assessedOn'],
  confirmResults: ['boardDate'],
  submitAssignment: ['submittedOn'],
  markAssignment: ['markedOn'],
  moderateMark: ['moderatedOn'],
  correctMark: [],
  permitResubmission: ['permittedOn'],
  ratifyMarks: ['boardDate'],
  recordBoardOutcome: [],
  submitMitigatingCircumstances: ['submittedOn'],
  decideMitigatingCircumstances: [],
  submitAplClaim: ['submittedOn'],
  decideAplClaim: ['decidedOn'],
  submitOutcomeEvidence: ['submittedOn'],
  signOffOutcome: ['signedOffOn'],
  revokeSignOff: ['revokedOn'],
  completePortfolio: ['completedOn'],
  recordViva: ['heldOn'],
  grantExtension: [],
  interruptStudy: ['from'],
  resumeStudy: ['on'],
  withdrawStudent: ['on'],
  conferAward: ['conferredOn'],
  withdrawAward: ['withdrawnOn'],
  resolveAwardReview: ['resolvedOn'],
  erasePersonalData: ['erasedOn'],
} as const satisfies FactDates;

/** Refuses a date in the future, naming the field. */
export function notAfterToday(field: string, date: string | null | undefined, today: string): void {
  if (date && date > today)
    throw refused(
      'date_in_future',
      `${field} is ${date}, after today (${today}, Europe/London): a fact cannot be recorded before it happens`,
      { [field]: date, today },
      field,
    );
}

/** Every fact date of the command is on or before today. */
export function guardFactDates(command: Command, today: string): void {
  const data = command.data as Record<string, string | null | undefined>;
  for (const field of FACT_DATES[command.name]) notAfterToday(field, data[field], today);
}
