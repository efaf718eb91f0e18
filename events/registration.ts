import { z } from 'zod';
import { Code, Id, IsoDate, Line, Paragraph, Reason, SchoolType, Sealed, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';
import { ApplicantSchoolName } from './personal.ts';

// Application, entry evidence, place, enrolment, mentor and needs analysis; then the changes of status
// over a student's time on the programme (extension, interruption, withdrawal, erasure).

const family = 'registration';

export const ApplicationSubmitted = defineEvent({
  type: 'ApplicationSubmitted',
  version: 2,
  family,
  description:
    "A teacher applied for a place; personal details and the school's name are sealed with the student key.",
  schema: z.object({
    studentId: Id,
    personal: Sealed,
    programmeId: Code,
    // The type stays in clear (the rules read it); the name and URN are sealed in `personal`.
    school: z.object({ type: SchoolType }),
    schoolInClear: ApplicantSchoolName.optional().describe(
      'only in applications recorded at version 1, which held the school in clear: personal data, shown only where personal details are',
    ),
    intake: z.enum(['autumn', 'spring']),
    submittedOn: IsoDate,
  }),
  upcasters: {
    // v1 held the school's name in clear; it is kept aside as personal data, hidden where names are.
    1: (v1) => {
      const { school, ...rest } = v1 as { school: { name: string; type: string; urn?: string } };
      const { name, type, urn } = school;
      return { ...rest, school: { type }, schoolInClear: urn === undefined ? { name } : { name, urn } };
    },
  },
});

/** The school as an applicant gives it: the name and URN are sealed, the type stays in clear. */
export const ApplicantSchool = ApplicantSchoolName.extend({ type: SchoolType });

/** An event's data as it may be shown to anyone who may read the record: no personal data in clear. */
export function withoutClearPersonalData(type: string, data: unknown): unknown {
  if (type !== 'ApplicationSubmitted' || !data || typeof data !== 'object' || !('schoolInClear' in data))
    return data;
  const { schoolInClear: _hidden, ...rest } = data as Record<string, unknown>;
  return rest;
}

export const QtsEvidenceRecorded = defineEvent({
  type: 'QtsEvidenceRecorded',
  family,
  description: 'Qualified teacher status checked: QTS, QTLS or none (the 7-digit TRN is sealed, not here).',
  schema: z.object({
    // seed 000 / 004 Q9: QTS or QTLS evidenced by the teacher reference number
    status: z.enum(['QTS', 'QTLS', 'none']),
    trnChecked: z.boolean(),
    awardedOn: IsoDate.nullable(),
    // seed 000: statutory induction completed where QTS was gained from July 1999 on
    inductionCompleted: z.boolean().nullable(),
    checkedOn: IsoDate.optional().describe('when the evidence was checked (default: the day it is recorded)'),
  }),
});

export const SencoRoleConfirmed = defineEvent({
  type: 'SencoRoleConfirmed',
  family,
  description: 'The governing body confirmed the SENCO role, or the headteacher supports an aspiring SENCO.',
  schema: z.object({
    // seed 000: confirmation of SENCO role by the governing body OR headteacher support
    basis: z.enum(['governing-body-designation', 'headteacher-support']),
    confirmedByRole: Line(100),
    confirmedOn: IsoDate,
  }),
});

export const SencoAppointmentRecorded = defineEvent({
  type: 'SencoAppointmentRecorded',
  family,
  description: 'When the student became SENCO and how long they had been SENCO before (statutory clock).',
  schema: z.object({
    appointedOn: IsoDate.nullable().describe('null for an aspiring SENCO'),
    // SEND Regulations 2014 reg. 49: more than 12 months in total before exempts
    priorSencoMonths: z.number().int().min(0).max(600),
    schoolType: SchoolType,
    recordedOn: IsoDate.optional().describe(
      'when the appointment was evidenced (default: the day it is recorded)',
    ),
  }),
});

export const EligibilityAssessed = defineEvent({
  type: 'EligibilityAssessed',
  family,
  description: 'The provider assessed the application (seed 004 Q4: an application is not a place).',
  schema: z.object({
    eligible: z.boolean(),
    // national-award: what version 1 of the catalogue called the qualification route (before the NPQ)
    route: z.enum(['qualification', 'national-award', 'fallback-certificate']),
    notes: Paragraph(2000).optional(),
    assessedOn: IsoDate.optional().describe(
      'when the application was assessed (default: the day it is recorded)',
    ),
  }),
});

export const PlaceOffered = defineEvent({
  type: 'PlaceOffered',
  family,
  description: 'A place on a cohort was offered, normally 2-3 weeks before it starts (seed 004 Q4).',
  schema: z.object({ cohortId: Code, offeredOn: IsoDate }),
});

export const StudentEnrolled = defineEvent({
  type: 'StudentEnrolled',
  family,
  version: 2,
  description:
    'The student is enrolled on a cohort and on one version of a programme specification, with the cohort dates the rules read.',
  schema: z.object({
    cohortId: Code,
    programmeId: Code,
    specVersion: z.number().int().min(1),
    frameworkId: Code,
    frameworkVersion: z.number().int().min(1),
    enrolledOn: IsoDate,
    cohort: z
      .object({
        startsOn: IsoDate,
        // seed 000: the 18-month limit runs from the first face-to-face training day, the cohort's
        firstFacilitatedDay: IsoDate.nullable(),
        participationSessions: z
          .object({ session: z.number().int().min(0), activity: z.number().int().min(0) })
          .describe("how many of the cohort's sessions and activities a participation threshold counts"),
      })
      .nullable()
      .describe("the cohort's schedule as it stood at enrolment (null: enrolled before it was recorded)"),
  }),
  upcasters: {
    // Version 1 did not record the cohort's dates: the rules fall back to the student's own.
    1: (v1) => ({ ...v1, cohort: null }),
  },
});

export const MentorAssigned = defineEvent({
  type: 'MentorAssigned',
  family,
  description: 'A mentor: headteacher, senior leader or senior SENCO, possibly from another school.',
  schema: z.object({
    // seed 003 Mentors, 004 Q11
    mentorRole: z.enum(['headteacher', 'senior-leader', 'senior-senco', 'local-authority']),
    sameSchool: z.boolean(),
    assignedOn: IsoDate,
  }),
});

export const NeedsAnalysisCompleted = defineEvent({
  type: 'NeedsAnalysisCompleted',
  family,
  description: 'The initial needs analysis (seeds 000, 003), naming the areas to focus on.',
  schema: z.object({ completedOn: IsoDate, focusAreas: z.array(Code).max(20) }),
});

export const ExtensionGranted = defineEvent({
  type: 'ExtensionGranted',
  family,
  description:
    'A time limit of the specification, or a permitted resubmission, was extended for this student.',
  schema: z.object({
    timeLimit: z.enum(['outcomes', 'assignments', 'programme', 'resubmission']),
    moduleCode: Code.optional().describe('with resubmission: the module whose resubmission is extended'),
    attempt: z.number().int().min(2).max(9).optional().describe('with resubmission: that attempt'),
    newDeadline: IsoDate,
    reason: Reason,
    authorisedBy: StaffRef,
  }),
});

export const StudyInterrupted = defineEvent({
  type: 'StudyInterrupted',
  family,
  description: 'Study paused; nothing but resumption or withdrawal is recorded until it resumes.',
  schema: z.object({ from: IsoDate, expectedReturn: IsoDate.nullable(), reason: Reason }),
});

export const StudyResumed = defineEvent({
  type: 'StudyResumed',
  family,
  description: 'Study resumed after an interruption.',
  schema: z.object({ on: IsoDate }),
});

export const StudentWithdrawn = defineEvent({
  type: 'StudentWithdrawn',
  family,
  description: 'The student left the programme; the record is closed to new facts.',
  schema: z.object({ on: IsoDate, reason: Reason }),
});

export const PersonalDataErased = defineEvent({
  type: 'PersonalDataErased',
  family,
  description: 'The student key was destroyed on a lawful request; sealed personal data is now unreadable.',
  schema: z.object({ requestReference: Line(100), erasedOn: IsoDate }),
});

export const registrationEvents = [
  ApplicationSubmitted,
  QtsEvidenceRecorded,
  SencoRoleConfirmed,
  SencoAppointmentRecorded,
  EligibilityAssessed,
  PlaceOffered,
  StudentEnrolled,
  MentorAssigned,
  NeedsAnalysisCompleted,
  ExtensionGranted,
  StudyInterrupted,
  StudyResumed,
  StudentWithdrawn,
  PersonalDataErased,
] as const;
