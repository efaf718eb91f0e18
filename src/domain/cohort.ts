import type { z } from 'zod';
import {
  AssessmentWindowSet,
  CohortCreated,
  CohortStaffAssigned,
  ExamBoardHeld,
  ProgrammeSpecificationPublished,
} from '../../events/cohort.ts';
import type { Role } from '../../events/envelope.ts';

// Commands on a cohort's own stream (decided in decide/cohort.ts), and the publication of a programme
// specification.

export const cohortCommandDefinitions = {
  createCohort: {
    roles: ['registry'],
    summary: 'Create a cohort on a programme specification version, with its sessions',
    schema: CohortCreated.schema,
  },
  assignCohortStaff: {
    roles: ['registry'],
    summary: 'Assign a tutor/assessor or an external examiner to a cohort',
    schema: CohortStaffAssigned.schema,
  },
  setAssessmentWindow: {
    roles: ['registry'],
    summary:
      'Set a dated window in which the cohort sits one or more assessments (e.g. the NPQ case study, or its resit)',
    schema: AssessmentWindowSet.schema,
  },
  recordExamBoard: {
    roles: ['registry'],
    summary: 'Record an exam board held for the cohort',
    schema: ExamBoardHeld.schema,
  },
} as const satisfies Record<string, { roles: readonly Role[]; summary: string; schema: z.ZodObject }>;

export type CohortCommandName = keyof typeof cohortCommandDefinitions;
export type CohortCommand = {
  [N in CohortCommandName]: { name: N; data: z.infer<(typeof cohortCommandDefinitions)[N]['schema']> };
}[CohortCommandName];

export const PublishSpecificationInput = ProgrammeSpecificationPublished.schema;
