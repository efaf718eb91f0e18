import { addYears, daysBetween } from '../src/domain/calendar.ts';
import { TRANSITION_COMPLETE_BEFORE } from '../src/domain/rules/transition-dates.ts';
import { type StudentRecord, standingAward } from '../src/domain/student-record.ts';

// The statutory deadlines (learning-outcomes.md): SEND Regulations 2014 reg. 49, and the SI 2024/535
// transition. Computed from each record and today's date: nothing here is stored, so a deadline always
// reflects the latest correction.

export const REQUIREMENT_START = '2009-09-01';
export const PRIOR_SERVICE_EXEMPT_MONTHS = 12;

export type RiskLevel = 'met' | 'overdue' | 'at-risk' | 'on-track' | 'not-required';

export interface StatutoryDeadline {
  studentId: string;
  cohortId: string | null;
  appointedOn: string | null;
  /** Reg. 49: third anniversary of becoming SENCO, when the duty applies. */
  threeYearDeadline: string | null;
  requirement:
    | 'required'
    | 'exempt-prior-service'
    | 'not-required-before-2009'
    | 'not-mandatory-independent'
    | 'aspiring'
    | 'unknown';
  threeYearRisk: RiskLevel;
  /** The National Award must be completed before 1 September 2027 (SI 2024/535). */
  transitionDeadline: string;
  transitionRisk: RiskLevel;
  daysToNearest: number | null;
  reasons: string[];
}

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

export interface ResubmissionDeadline {
  moduleCode: string;
  attempt: number;
  deadline: string;
  /** The final submission's date, once handed in. */
  submittedOn: string | null;
  /** Past its deadline with nothing handed in. */
  overdue: boolean;
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
