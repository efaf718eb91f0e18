import { addYears, daysBetween } from '../calendar.ts';
import type { Decision } from '../rules/schema.ts';
import { type StudentRecord, standingAward } from '../student-record.ts';
import { law, qualificationFor } from './duty.ts';

// A SENCO's statutory deadlines (reg. 49(4) and (7)), computed from their record, their decision and
// today's date: nothing is stored, so a deadline always reflects the latest correction. Who is under the
// duty, from when and until when, is the law's reference data (send-regulations-reg-49.v2.json).

export type RiskLevel = 'met' | 'overdue' | 'at-risk' | 'on-track' | 'not-required';

export interface StatutoryDeadline {
  studentId: string;
  cohortId: string | null;
  appointedOn: string | null;
  schoolType: string | null;
  requirement:
    | 'required'
    | 'exempt-prior-service'
    | 'not-required-appointed-by-2009'
    | 'not-required-school-outside-duty'
    | 'aspiring'
    | 'unknown';
  /** Studying, or out of it: a student who is not studying is shown apart from those at risk. */
  standing: 'studying' | 'not-enrolled' | 'awarded' | 'withdrawn' | 'lapsed' | 'failed';
  /** Reg. 49(4): the third anniversary of becoming SENCO; a qualification held on that day is in time. */
  threeYearDeadline: string | null;
  threeYearRisk: RiskLevel;
  /** The qualification that satisfies the duty for this SENCO's dates (their course's, or a course started today). */
  qualificationNeeded: { kind: string; title: string } | null;
  /** Named while the duty applies and no qualification that satisfies it is held. */
  qualificationMissing: string | null;
  /** A completion date the qualification needs (reg. 49(7)(a): the National Award before 1 September 2027). */
  transitionDeadline: string | null;
  transitionRisk: RiskLevel;
  daysToNearest: number | null;
  reasons: string[];
}

export interface DeadlineOptions {
  /** How close (in days) a deadline must be, with no qualification, to count as at risk. */
  threeYearWindowDays: number;
  transitionWindowDays: number;
}

export const DEFAULT_DEADLINE_OPTIONS: DeadlineOptions = {
  threeYearWindowDays: 183,
  transitionWindowDays: 365,
};

function risk(deadline: string, today: string, heldOn: string | null, windowDays: number): RiskLevel {
  // reg. 49(4): held on the deadline itself is in time; the day after is late
  if (heldOn !== null) return heldOn <= deadline ? 'met' : 'overdue';
  if (today > deadline) return 'overdue';
  return daysBetween(today, deadline) <= windowDays ? 'at-risk' : 'on-track';
}

function requirementOf(record: StudentRecord): StatutoryDeadline['requirement'] {
  const a = record.appointment;
  if (!a) return 'unknown';
  if (a.appointedOn === null) return 'aspiring';
  // Children and Families Act 2014 s.67: the duty binds mainstream schools and maintained nursery schools
  if (!law.scope.schoolTypes.includes(a.schoolType)) return 'not-required-school-outside-duty';
  // reg. 49(4): "becomes the SENCO ... after 1st September 2009": on that day itself is not after it
  if (a.appointedOn <= law.duty.appointedAfter) return 'not-required-appointed-by-2009';
  // reg. 49(4): previously SENCO "for a total period of more than twelve months" (exactly twelve: still under it)
  if (a.priorSencoMonths > law.duty.priorServiceMonthsMoreThan) return 'exempt-prior-service';
  return 'required';
}

function standingOf(record: StudentRecord, decision: Decision | null): StatutoryDeadline['standing'] {
  if (record.withdrawal) return 'withdrawn';
  if (!record.enrolment || !decision) return 'not-enrolled';
  if (decision.outcome === 'lapsed' || decision.outcome === 'failed') return decision.outcome;
  if (standingAward(record)) return 'awarded';
  return 'studying';
}

export function statutoryDeadline(
  record: StudentRecord,
  decision: Decision | null,
  today: string,
  options = DEFAULT_DEADLINE_OPTIONS,
): StatutoryDeadline {
  const a = record.appointment;
  const requirement = requirementOf(record);
  const standing = standingOf(record, decision);
  const duty = record.enrolment ? (decision?.duty ?? null) : null;
  // A conferred qualification is held while it stands; whether it satisfies the duty is what was decided at
  // conferral (a conferral recorded before that was kept is judged by today's decision).
  const award = standingAward(record);
  const satisfied = award?.duty ? award.duty.satisfies === 'yes' : duty?.satisfies === 'yes';
  const heldOn = award?.award === 'qualification' && satisfied ? award.conferredOn : null;
  // the qualification the SENCO's own course leads to counts if its dates satisfy reg. 49(7); else the one
  // a course started today would need
  const ownCounts = heldOn !== null || (duty !== null && duty.satisfies !== 'no');
  const needed = ownCounts && duty ? duty.qualification : (qualificationFor(today) ?? null);
  const threeYearDeadline =
    requirement === 'required' && a?.appointedOn
      ? addYears(a.appointedOn, law.duty.holdByAnniversaryYears)
      : null;
  const threeYearRisk = threeYearDeadline
    ? risk(threeYearDeadline, today, heldOn, options.threeYearWindowDays)
    : 'not-required';
  const transitionDeadline = heldOn === null && duty?.satisfies === 'not-yet' ? duty.completeBefore : null;
  const transitionRisk: RiskLevel =
    heldOn !== null || duty?.satisfies === 'yes'
      ? duty?.completeBefore
        ? 'met'
        : 'not-required'
      : transitionDeadline && standing === 'studying'
        ? risk(transitionDeadline, today, null, options.transitionWindowDays)
        : 'not-required';
  const missing = needed && heldOn === null ? needed.title : null;
  const reasons: string[] = [];
  if (threeYearRisk === 'overdue')
    reasons.push(`the three-year deadline of ${threeYearDeadline} has passed without the ${missing}`);
  if (threeYearRisk === 'at-risk')
    reasons.push(
      `the three-year deadline of ${threeYearDeadline} is within ${options.threeYearWindowDays} days and the ${missing} is not held`,
    );
  if (transitionRisk === 'at-risk')
    reasons.push(
      `the ${duty!.qualification.title} satisfies the duty only if completed before ${transitionDeadline}, within ${options.transitionWindowDays} days`,
    );
  if (transitionRisk === 'overdue')
    reasons.push(`the ${duty!.qualification.title} can no longer be completed before ${transitionDeadline}`);
  const wrongQualification = duty?.satisfies === 'no' && requirement === 'required' && heldOn === null;
  if (wrongQualification) reasons.push(`${duty.reason} The duty needs the ${needed?.title}.`);
  const pending = [
    threeYearRisk === 'at-risk' || threeYearRisk === 'overdue' || wrongQualification
      ? threeYearDeadline
      : null,
    transitionRisk === 'at-risk' || transitionRisk === 'overdue' ? transitionDeadline : null,
  ]
    .filter((d): d is string => d !== null)
    .sort();
  return {
    studentId: record.studentId,
    cohortId: record.enrolment?.cohortId ?? null,
    appointedOn: a?.appointedOn ?? null,
    schoolType: a?.schoolType ?? null,
    requirement,
    standing,
    threeYearDeadline,
    threeYearRisk,
    qualificationNeeded: needed ? { kind: needed.kind, title: needed.title } : null,
    qualificationMissing: requirement === 'required' ? missing : null,
    transitionDeadline,
    transitionRisk,
    daysToNearest: pending[0] ? daysBetween(today, pending[0]) : null,
    reasons,
  };
}

const OUTSIDE_DUTY = new Set<StatutoryDeadline['requirement']>([
  'exempt-prior-service',
  'not-required-appointed-by-2009',
  'not-required-school-outside-duty',
]);

/**
 * Everyone under the duty whose deadline is near or passed: those still studying (nearest first), and apart
 * from them the withdrawn, lapsed and failed, who are not at risk of a deadline but out of the race for it.
 * SENCOs outside the duty (their school, their appointment date, their prior service) are on neither list.
 */
export function atRisk(
  entries: Iterable<{ record: StudentRecord; decision: Decision | null }>,
  today: string,
  options = DEFAULT_DEADLINE_OPTIONS,
): { atRisk: StatutoryDeadline[]; notStudying: StatutoryDeadline[] } {
  const studying: StatutoryDeadline[] = [];
  const notStudying: StatutoryDeadline[] = [];
  for (const { record, decision } of entries) {
    const d = statutoryDeadline(record, decision, today, options);
    if (OUTSIDE_DUTY.has(d.requirement) || d.reasons.length === 0) continue;
    (d.standing === 'withdrawn' || d.standing === 'lapsed' || d.standing === 'failed'
      ? notStudying
      : studying
    ).push(d);
  }
  const byNearest = (x: StatutoryDeadline, y: StatutoryDeadline) =>
    (x.daysToNearest ?? 0) - (y.daysToNearest ?? 0);
  return { atRisk: studying.sort(byNearest), notStudying: notStudying.sort(byNearest) };
}
