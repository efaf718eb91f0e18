import { z } from 'zod';
import { Code, Id, IsoDate, Line, ModuleCode } from './common.ts';
import { defineEvent } from './define.ts';
import { ProgrammeSpecification } from './programme-specification.ts';

// A cohort's own stream: its sessions, its staff, its exam boards. Programme specifications published
// at run time by an admin are kept in their own streams too.

const family = 'cohort';

export const CohortSession = z.object({
  sessionId: Code,
  kind: z.enum(['webex', 'facilitated-day']),
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

export const ProgrammeSpecificationPublished = defineEvent({
  type: 'ProgrammeSpecificationPublished',
  family: 'programme',
  description: 'An admin published a programme specification version.',
  schema: z.object({ specification: ProgrammeSpecification }),
});

export const cohortEvents = [
  CohortCreated,
  CohortStaffAssigned,
  ExamBoardHeld,
  ProgrammeSpecificationPublished,
] as const;
