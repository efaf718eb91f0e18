import { z } from 'zod';
import { decisionFor, specFor } from '../../../projections/eligibility.ts';
import {
  assignmentsDeadline,
  type Deadline,
  outcomesDeadline,
  programmeDeadline,
} from '../../domain/rules/deadlines.ts';
import { EventRefSchema } from '../../domain/rules/schema.ts';
import { atRisk, type StatutoryDeadline, statutoryDeadline } from '../../domain/statutory/deadline.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { Describes } from '../json.ts';
import type { QuerySources } from './sources.ts';

// A student's deadlines: the statutory ones (SEND Regulations 2014 reg. 49 as amended by SI 2024/535,
// computed in src/domain/statutory/deadline.ts from the record, its decision and the date), the
// programme's own time limits, and each permitted resubmission's. Nothing is stored, so a deadline always
// reflects the latest correction.

const RiskLevelSchema = z.enum(['met', 'overdue', 'at-risk', 'on-track', 'not-required']);

export const StatutoryDeadlineSchema = z.object({
  studentId: z.string(),
  cohortId: z.string().nullable(),
  appointedOn: z.string().nullable(),
  schoolType: z.string().nullable(),
  requirement: z.enum([
    'required',
    'exempt-prior-service',
    'not-required-appointed-by-2009',
    'not-required-school-outside-duty',
    'aspiring',
    'unknown',
  ]),
  standing: z
    .enum(['studying', 'not-enrolled', 'awarded', 'withdrawn', 'lapsed', 'failed'])
    .describe('a student who is not studying is shown apart from those at risk'),
  threeYearDeadline: z
    .string()
    .nullable()
    .describe(
      'reg. 49(4): the third anniversary of becoming SENCO; a qualification held on that day is in time',
    ),
  threeYearRisk: RiskLevelSchema,
  qualificationNeeded: z.object({ kind: z.string(), title: z.string() }).nullable(),
  qualificationMissing: z.string().nullable(),
  transitionDeadline: z
    .string()
    .nullable()
    .describe(
      'a completion date the qualification needs (reg. 49(7)(a): the National Award before 1 September 2027)',
    ),
  transitionRisk: RiskLevelSchema,
  daysToNearest: z.number().nullable(),
  reasons: z.array(z.string()),
});
const _statutory: Describes<z.output<typeof StatutoryDeadlineSchema>, StatutoryDeadline> = true;

export const AtRiskSchema = z.object({
  atRisk: z.array(StatutoryDeadlineSchema).describe('still studying, nearest deadline first'),
  notStudying: z.array(StatutoryDeadlineSchema).describe('withdrawn, lapsed or failed: out of the race'),
});

const ProgrammeDeadlineSchema = z
  .object({
    deadline: z.string(),
    from: z.string(),
    extended: z.boolean(),
    pausedDays: z.number().describe('days added for interruptions of study'),
    lapses: z.boolean().describe('false for an expected length of study: shown, never a reason to lapse'),
    events: z.array(EventRefSchema).describe('the extension and interruptions that moved it'),
  })
  .nullable()
  .describe('null until the time limit starts, or when the programme sets none');
const _deadline: Describes<z.output<typeof ProgrammeDeadlineSchema>, Deadline | null> = true;

export const ResubmissionDeadlineSchema = z.object({
  moduleCode: z.string(),
  attempt: z.number(),
  deadline: z.string(),
  submittedOn: z.string().nullable().describe("the final submission's date, once handed in"),
  overdue: z.boolean().describe('past its deadline with nothing handed in'),
});
export type ResubmissionDeadline = z.infer<typeof ResubmissionDeadlineSchema>;

export const DeadlinesSchema = z.object({
  statutory: StatutoryDeadlineSchema,
  programme: z.object({
    outcomes: ProgrammeDeadlineSchema,
    assignments: ProgrammeDeadlineSchema,
    programme: ProgrammeDeadlineSchema,
  }),
  resubmissions: z.array(ResubmissionDeadlineSchema),
});

/** Each permitted resubmission that has a deadline, and whether it was handed in by then. */
export function resubmissionDeadlines(record: StudentRecord, today: string): ResubmissionDeadline[] {
  const out: ResubmissionDeadline[] = [];
  for (const [moduleCode, attempts] of Object.entries(record.modules))
    for (const a of attempts) {
      if (!a.permitted || a.deadline === null) continue;
      const finals = a.submissions.filter((s) => s.kind === 'final');
      const submittedOn = finals[finals.length - 1]?.submittedOn ?? null;
      out.push({
        moduleCode,
        attempt: a.attempt,
        deadline: a.deadline,
        submittedOn,
        overdue: submittedOn === null && a.markChain === null && today > a.deadline,
      });
    }
  return out.sort((x, y) => (x.deadline < y.deadline ? -1 : x.deadline > y.deadline ? 1 : 0));
}

/** A student's statutory deadlines, their programme's time limits and their resubmissions', on a date. */
export function deadlines(
  sources: QuerySources,
  record: StudentRecord,
  on: string,
): z.infer<typeof DeadlinesSchema> {
  const spec = specFor(record, sources.reference);
  return {
    statutory: statutoryDeadline(record, decisionFor(record, sources.reference, on), on),
    programme: spec
      ? {
          outcomes: outcomesDeadline(record, spec, on),
          assignments: assignmentsDeadline(record, spec, on),
          programme: programmeDeadline(record, spec, on),
        }
      : { outcomes: null, assignments: null, programme: null },
    resubmissions: resubmissionDeadlines(record, on),
  };
}

/** Everyone under the duty whose deadline is near or passed (of one cohort, if named); those out of it apart. */
export function atRiskOf(sources: QuerySources, records: Iterable<StudentRecord>, on: string) {
  const entries = [...records].map((record) => ({
    record,
    decision: decisionFor(record, sources.reference, on),
  }));
  return atRisk(entries, on);
}
