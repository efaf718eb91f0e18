import { z } from 'zod';
import { CohortSession } from '../../../events/cohort.ts';
import { type CohortState, cohorts } from '../../../projections/cohorts.ts';
import { decisionFor } from '../../../projections/eligibility.ts';
import { students } from '../../../projections/index.ts';
import type { RuleArea } from '../../domain/rules/index.ts';
import { DecisionOutcomeSchema, RuleAreaSchema } from '../../domain/rules/schema.ts';
import { notFound } from '../../errors.ts';
import type { Describes } from '../json.ts';
import type { QuerySources } from './sources.ts';

// Cohorts, and the overview of a cohort: per member, what is missing, grouped as a tutor reads it, from
// each member's decision on the date.

/** The areas of the record a rule concerns, as each rule's definition names them. */
export type MissingArea = RuleArea;

export const CohortMemberRowSchema = z.object({
  studentId: z.string(),
  outcome: DecisionOutcomeSchema,
  creditsEarned: z.number(),
  creditsRequired: z.number(),
  missing: z
    .partialRecord(RuleAreaSchema, z.array(z.string()))
    .describe('what is missing, by area of the record'),
});
export type CohortMemberRow = z.infer<typeof CohortMemberRowSchema>;

export interface CohortOverview {
  cohort: CohortState;
  rows: CohortMemberRow[];
  counts: Record<string, number>;
}

/** A cohort as the API lists it: its staff, and how many members. */
export const CohortSummarySchema = z.object({
  cohortId: z.string(),
  name: z.string(),
  programmeId: z.string(),
  specVersion: z.number(),
  intake: z.string(),
  location: z.string(),
  mode: z.string(),
  startsOn: z.string(),
  sessions: z.array(CohortSession),
  examBoards: z.array(
    z.object({
      examBoardId: z.string(),
      heldOn: z.string(),
      externalExaminers: z.array(z.string()).describe('the external examiners present'),
    }),
  ),
  assessmentWindows: z.array(
    z.object({
      windowId: z.string(),
      moduleCodes: z.array(z.string()),
      opensOn: z.string(),
      closesOn: z.string(),
    }),
  ),
  tutors: z.array(z.string()),
  examiners: z.array(z.string()),
  members: z.number(),
});
export type CohortSummary = z.infer<typeof CohortSummarySchema>;

export const CohortOverviewViewSchema = z.object({
  cohort: CohortSummarySchema,
  counts: z.record(z.string(), z.number()).describe('members by decision'),
  rows: z.array(CohortMemberRowSchema),
});

export function cohortSummary(c: CohortState): CohortSummary {
  const { members, tutors, examiners, ...rest } = c;
  return { ...rest, members: members.size, tutors: [...tutors], examiners: [...examiners] };
}
const _summary: Describes<
  Omit<CohortSummary, 'members' | 'tutors' | 'examiners'>,
  Omit<CohortState, 'members' | 'tutors' | 'examiners'>
> = true;

export function cohortList(sources: QuerySources): CohortState[] {
  return [...sources.projections.state(cohorts).cohorts.values()];
}

export function findCohort(sources: QuerySources, cohortId: string): CohortState | undefined {
  return sources.projections.state(cohorts).cohorts.get(cohortId);
}

/** What each member of a cohort is missing, from their decisions on `on`. */
export function cohortOverview(sources: QuerySources, cohortId: string, on: string): CohortOverview {
  const cohort = findCohort(sources, cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const records = sources.projections.state(students).records;
  const rows: CohortMemberRow[] = [];
  const counts: Record<string, number> = {};
  for (const streamId of cohort.members) {
    const record = records.get(streamId)!;
    const decision = decisionFor(record, sources.reference, on);
    const missing: CohortMemberRow['missing'] = {};
    if (decision) {
      for (const rule of decision.rules) {
        if (rule.outcome === 'met' || rule.outcome === 'not-applicable' || rule.outcome === 'fallback')
          continue;
        const list = missing[rule.area] ?? [];
        list.push(...(rule.outstanding.length ? rule.outstanding : [rule.reason]));
        missing[rule.area] = list;
      }
      counts[decision.outcome] = (counts[decision.outcome] ?? 0) + 1;
    }
    rows.push({
      studentId: record.studentId,
      outcome: decision?.outcome ?? 'not-yet-eligible',
      creditsEarned: decision?.credits.earned ?? 0,
      creditsRequired: decision?.credits.required ?? 0,
      missing,
    });
  }
  rows.sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
  return { cohort, rows, counts };
}
