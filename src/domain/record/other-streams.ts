import type { Evolvers } from './evolver.ts';

// Cohort and programme events live in their own streams: a student's record has nothing to take from
// them, and says so here rather than by falling through.

const nothing = () => {};

export const otherStreamEvolvers = {
  CohortCreated: nothing,
  CohortStaffAssigned: nothing,
  ExamBoardHeld: nothing,
  AssessmentWindowSet: nothing,
  ProgrammeSpecificationPublished: nothing,
} satisfies Partial<Evolvers>;
