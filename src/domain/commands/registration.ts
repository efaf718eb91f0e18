import { ADULT_AGE, isAdultOn, PersonalDetails } from '../../../events/personal.ts';
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
} from '../../../events/registration.ts';
import type { CommandDefinition } from './definition.ts';

// Application, eligibility, enrolment and the student's standing on the programme (interruption, extension,
// withdrawal, erasure).
export const registrationCommands = {
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
  grantExtension: {
    roles: ['registry'],
    summary: 'Extend a time limit for this student',
    schema: ExtensionGranted.schema.omit({ authorisedBy: true }),
  },
  interruptStudy: { roles: ['registry'], summary: 'Interrupt study', schema: StudyInterrupted.schema },
  resumeStudy: { roles: ['registry'], summary: 'Resume study', schema: StudyResumed.schema },
  withdrawStudent: { roles: ['registry'], summary: 'Withdraw the student', schema: StudentWithdrawn.schema },
  erasePersonalData: {
    roles: ['admin'],
    summary: 'Erase personal data on a lawful request (destroys the student key)',
    schema: PersonalDataErased.schema,
  },
} as const satisfies Record<string, CommandDefinition>;
