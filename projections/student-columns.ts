import { addDays, addYears } from '../src/domain/calendar.ts';
import { DEFAULT_DEADLINE_OPTIONS, OUTSIDE_DUTY, requirementOf } from '../src/domain/statutory/deadline.ts';
import { law, statutoryQualification } from '../src/domain/statutory/duty.ts';
import { type StudentRecord, standingAward } from '../src/domain/student-record.ts';
import type { ProjectionContext } from './projection.ts';

// What the students projection keeps beside each record for lists to filter and sort on: computed from
// the record alone, so a column never goes stale as days pass (the date-dependent answers are worked out
// on read, for the rows the columns select).

/** The programme enrolled on, or applied for: whom an application may duplicate (src/app/applicants.ts). */
export const programmeOf = (r: StudentRecord): string | null =>
  r.enrolment?.programmeId ?? r.application?.programmeId ?? null;

/** The cohort enrolled on, or offered a place on. */
export const placementCohort = (r: StudentRecord) => r.enrolment?.cohortId ?? r.offer?.cohortId ?? null;

/** Where a student stands, in one word (withdrawn, interrupted, awarded, enrolled, applied). */
export function standingOf(
  r: StudentRecord,
): 'applied' | 'enrolled' | 'interrupted' | 'withdrawn' | 'awarded' {
  if (r.withdrawal) return 'withdrawn';
  if (r.interruption) return 'interrupted';
  if (r.awards.some((a) => !a.withdrawn)) return 'awarded';
  return r.enrolment ? 'enrolled' : 'applied';
}

const ALWAYS = '0000-01-01';

/**
 * When the record can first be on the at-risk lists (statutoryDeadline in src/domain/statutory/deadline.ts
 * gives it a reason), whatever its decision turns out to be on that day: a date no later than the first day
 * it can be, or null when it never can. And the nearest statutory deadline it has, to order the lists by.
 */
export function statutoryWatch(
  r: StudentRecord,
  context?: ProjectionContext,
): { from: string | null; nearest: string | null } {
  const requirement = requirementOf(r);
  if (OUTSIDE_DUTY.has(requirement)) return { from: null, nearest: null };
  const award = standingAward(r);
  const held = award?.award === 'qualification' ? award : null;
  const heldOn = held?.duty?.satisfies === 'yes' ? held.conferredOn : null;
  const candidates: string[] = [];
  let nearest: string | null = null;
  // reg. 49(4): the three-year deadline, at risk from the window before it, overdue after it
  const appointedOn = r.appointment?.appointedOn ?? null;
  if (requirement === 'required' && appointedOn) {
    const deadline = addYears(appointedOn, law.duty.holdByAnniversaryYears);
    nearest = deadline;
    if (heldOn !== null) {
      if (heldOn > deadline) candidates.push(ALWAYS);
    } else if (held && held.duty === null && held.conferredOn > deadline) candidates.push(ALWAYS);
    else candidates.push(addDays(deadline, -DEFAULT_DEADLINE_OPTIONS.threeYearWindowDays));
    // a course whose qualification does not satisfy the duty names it at once
    if (heldOn === null && r.enrolment) candidates.push(ALWAYS);
  }
  // reg. 49(7): a qualification that counts only if completed by a date, while studying for it
  if (r.enrolment && !r.withdrawal && heldOn === null) {
    const spec = context?.reference.findSpecification(r.enrolment.programmeId, r.enrolment.specVersion);
    const completeBefore = spec
      ? (statutoryQualification(spec.qualification.kind)?.completedBefore ?? null)
      : earliestCompleteBefore;
    if (completeBefore) {
      candidates.push(addDays(completeBefore, -DEFAULT_DEADLINE_OPTIONS.transitionWindowDays));
      if (nearest === null || completeBefore < nearest) nearest = completeBefore;
    }
  }
  candidates.sort();
  return { from: candidates[0] ?? null, nearest };
}

const earliestCompleteBefore =
  law.qualifications
    .map((q) => q.completedBefore)
    .filter((d): d is string => d !== null)
    .sort()[0] ?? null;
