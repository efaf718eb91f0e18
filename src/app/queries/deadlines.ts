import { z } from 'zod';
import { specFor } from '../../../projections/eligibility.ts';
import { addYears, daysBetween } from '../../domain/calendar.ts';
import { assignmentsDeadline, type Deadline, outcomesDeadline } from '../../domain/rules/deadlines.ts';
import { TRANSITION_COMPLETE_BEFORE } from '../../domain/rules/transition-dates.ts';
import { type StudentRecord, standingAward } from '../../domain/student-record.ts';
import type { Describes } from '../json.ts';
import type { QuerySources } from './sources.ts';

// The statutory deadlines (learning-outcomes.md): SEND Regulations 2014 reg. 49, and the SI 2024/535
// transition, and the programme's own. Computed from each record and the date: nothing here is stored,
// so a deadline always reflects the latest correction.

export const REQUIREMENT_START = '2009-09-01';
export const PRIOR_SERVICE_EXEMPT_MONTHS = 12;

const RiskLevelSchema = z.enum(['met', 'overdue', 'at-risk', 'on-track', 'not-required']);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

export const StatutoryDeadlineSchema = z.object({
  studentId: z.string(),
  cohortId: z.string().nullable(),
  appointedOn: z.string().nullable(),
  threeYearDeadline: z
    .string()
    .nullable()
    .describe('reg. 49: the third anniversary of becoming SENCO, when the duty applies'),
  requirement: z.enum([
    'required',
    'exempt-prior-service',
    'not-required-before-2009',
    'not-mandatory-independent',
    'aspiring',
    'unknown',
  ]),
  threeYearRisk: RiskLevelSchema,
  transitionDeadline: z
    .string()
    .describe('the National Award must be completed before 1 September 2027 (SI 2024/535)'),
  transitionRisk: RiskLevelSchema,
  daysToNearest: z.number().nullable(),
  reasons: z.array(z.string()),
});
export type StatutoryDeadline = z.infer<typeof StatutoryDeadlineSchema>;

const ProgrammeDeadlineSchema = z
  .object({ deadline: z.string(), from: z.string(), extended: z.boolean() })
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
  programme: z.object({ outcomes: ProgrammeDeadlineSchema, assignments: ProgrammeDeadlineSchema }),
  resubmissions: z.array(ResubmissionDeadlineSchema),
});

export interface DeadlineOptions {
  /** How close (in days) a deadline must be, with no award, to count as at risk. */
  threeYearWindowDays: number;
  transitionWindowDays: number;
}

export const DEFAULT_DEADLINE_OPTIONS: DeadlineOptions = {
  threeYearWindowDays: 183,
  transitionWindowDays: 365,
};

function risk(deadline: string, today: string, awardedOn: string | null, windowDays: number): RiskLevel {
  if (awardedOn !== null) return awardedOn < deadline ? 'met' : 'overdue';
  if (today >= deadline) return 'overdue';
  return daysBetween(today, deadline) <= windowDays ? 'at-risk' : 'on-track';
}

export function statutoryDeadline(
  record: StudentRecord,
  today: string,
  options = DEFAULT_DEADLINE_OPTIONS,
): StatutoryDeadline {
  const a = record.appointment;
  const award = standingAward(record);
  const nationalAwardOn = award?.award === 'national-award' ? award.conferredOn : null;
  const reasons: string[] = [];
  let requirement: StatutoryDeadline['requirement'] = 'unknown';
  let threeYearDeadline: string | null = null;
  if (a) {
    if (a.appointedOn === null) requirement = 'aspiring';
    // seed 004 Q7: not mandatory in independent schools
    else if (a.schoolType === 'independent') requirement = 'not-mandatory-independent';
    // reg. 49: the duty applies to those who became SENCO after 1 September 2009
    else if (a.appointedOn < REQUIREMENT_START) requirement = 'not-required-before-2009';
    // reg. 49 / Code of Practice 6.85: more than 12 months as SENCO before exempts
    else if (a.priorSencoMonths > PRIOR_SERVICE_EXEMPT_MONTHS) requirement = 'exempt-prior-service';
    else {
      requirement = 'required';
      threeYearDeadline = addYears(a.appointedOn, 3);
    }
  }
  const threeYearRisk = threeYearDeadline
    ? risk(threeYearDeadline, today, nationalAwardOn, options.threeYearWindowDays)
    : 'not-required';
  if (threeYearRisk === 'overdue')
    reasons.push(`the three-year deadline of ${threeYearDeadline} has passed without the National Award`);
  if (threeYearRisk === 'at-risk')
    reasons.push(
      `the three-year deadline of ${threeYearDeadline} is within ${options.threeYearWindowDays} days`,
    );
  const onNationalRoute =
    record.enrolment !== null && record.withdrawal === null && record.qts?.status !== 'none';
  const transitionRisk = onNationalRoute
    ? risk(TRANSITION_COMPLETE_BEFORE, today, nationalAwardOn, options.transitionWindowDays)
    : 'not-required';
  if (transitionRisk === 'overdue')
    reasons.push('the National Award can no longer be completed before 1 September 2027');
  if (transitionRisk === 'at-risk')
    reasons.push(
      `1 September 2027 is within ${options.transitionWindowDays} days and no National Award is conferred`,
    );
  const pending = [
    threeYearRisk === 'at-risk' || threeYearRisk === 'overdue' ? threeYearDeadline : null,
    transitionRisk === 'at-risk' || transitionRisk === 'overdue' ? TRANSITION_COMPLETE_BEFORE : null,
  ]
    .filter((d): d is string => d !== null)
    .sort();
  return {
    studentId: record.studentId,
    cohortId: record.enrolment?.cohortId ?? null,
    appointedOn: a?.appointedOn ?? null,
    threeYearDeadline,
    requirement,
    threeYearRisk,
    transitionDeadline: TRANSITION_COMPLETE_BEFORE,
    transitionRisk,
    daysToNearest: pending[0] ? daysBetween(today, pending[0]) : null,
    reasons,
  };
}

export function atRisk(
  records: Iterable<StudentRecord>,
  today: string,
  options = DEFAULT_DEADLINE_OPTIONS,
): StatutoryDeadline[] {
  const out: StatutoryDeadline[] = [];
  for (const r of records) {
    const d = statutoryDeadline(r, today, options);
    if (d.reasons.length) out.push(d);
  }
  return out.sort((x, y) => (x.daysToNearest ?? 0) - (y.daysToNearest ?? 0));
}

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

/** A student's statutory deadlines, their programme's (outcomes, assignments) and their resubmissions', on a date. */
export function deadlines(
  sources: QuerySources,
  record: StudentRecord,
  on: string,
): z.infer<typeof DeadlinesSchema> {
  const spec = specFor(record, sources.reference);
  return {
    statutory: statutoryDeadline(record, on),
    programme: spec
      ? { outcomes: outcomesDeadline(record, spec), assignments: assignmentsDeadline(record, spec) }
      : { outcomes: null, assignments: null },
    resubmissions: resubmissionDeadlines(record, on),
  };
}
