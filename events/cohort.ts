import { z } from 'zod';
import { Code, Id, IsoDate, Line, ModuleCode } from './common.ts';
import { defineEvent } from './define.ts';
import { ProgrammeSpecification } from './programme-specification.ts';
import { upcastSpecification } from './programme-specification-v1.ts';

// A cohort's own stream: its sessions, its staff, its exam boards. Programme specifications published
// at run time by an admin are kept in their own streams too.

const family = 'cohort';

export const CohortSession = z.object({
  sessionId: Code,
  // session, activity: what a participation threshold counts (the NPQ's taught sessions and activities)
  kind: z.enum(['webex', 'facilitated-day', 'session', 'activity']),
  moduleCode: ModuleCode.nullable(),
  date: IsoDate,
});

export const CohortCreated = defineEvent({
  type: 'CohortCreated',
  family,
  description: 'A cohort on one programme specification version, with its location and sessions.',
  schema: z.object({
    cohortId: Code,
    name: Line(200),
    programmeId: Code,
    specVersion: z.number().int().min(1),
    intake: z.enum(['autumn', 'spring']),
    location: Line(200),
    mode: z.enum(['online', 'face-to-face', 'blended']),
    startsOn: IsoDate,
    sessions: z.array(CohortSession).max(100),
  }),
});

export const CohortStaffAssigned = defineEvent({
  type: 'CohortStaffAssigned',
  family,
  description: 'A tutor/assessor or an external examiner was assigned to the cohort.',
  schema: z.object({ staffId: Id, role: z.enum(['tutor', 'examiner']) }),
});

export const ExamBoardHeld = defineEvent({
  type: 'ExamBoardHeld',
  family,
  description: 'The university exam board met for this cohort; external examiners attended.',
  schema: z.object({
    examBoardId: Code,
    heldOn: IsoDate,
    externalExaminers: z.array(Id).max(10),
    minutesReference: Line(200).optional(),
  }),
});

export const AssessmentWindowSet = defineEvent({
  type: 'AssessmentWindowSet',
  family,
  description:
    'The cohort sets a dated window in which an assessment (or several) is sat, e.g. the NPQ case study, or its resit.',
  schema: z.object({
    windowId: Code,
    moduleCodes: z.array(ModuleCode).min(1).max(10),
    opensOn: IsoDate,
    closesOn: IsoDate,
  }),
});

export const ProgrammeSpecificationPublished = defineEvent({
  type: 'ProgrammeSpecificationPublished',
  family: 'programme',
  version: 2,
  description: 'An admin published a programme specification version.',
  schema: z.object({ specification: ProgrammeSpecification }),
  upcasters: {
    // Version 1 carried a specification of schema version 1 (the National Award only).
    1: (v1) => ({ ...v1, specification: upcastSpecification(v1.specification) }),
  },
});

export const cohortEvents = [
  CohortCreated,
  CohortStaffAssigned,
  ExamBoardHeld,
  AssessmentWindowSet,
  ProgrammeSpecificationPublished,
] as const;
