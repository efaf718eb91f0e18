import type { ProgrammeSpecification, TimeLimit } from '../../../events/programme-specification.ts';
import { addMonths, endOfNthTerm } from '../calendar.ts';
import type { StudentRecord } from '../student-record.ts';

// The specification's time limits for one student: where each starts, when it ends, and whether
// registry extended it.

export interface Deadline {
  deadline: string;
  from: string;
  extended: boolean;
}

/** A time limit of the specification for this student, extended if registry granted it; null until it starts. */
export function timeLimitDeadline(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  which: 'outcomes' | 'assignments',
): Deadline | null {
  const limit = spec.timeLimits[which];
  if (!limit) return null;
  const start = limitStart(record, limit.from);
  if (!start) return null;
  const base = limit.months ? addMonths(start, limit.months) : endOfNthTerm(start, limit.terms ?? 1);
  const ext = record.extensions[which]?.newDeadline;
  return ext && ext > base
    ? { deadline: ext, from: start, extended: true }
    : { deadline: base, from: start, extended: false };
}

export const outcomesDeadline = (record: StudentRecord, spec: ProgrammeSpecification) =>
  timeLimitDeadline(record, spec, 'outcomes');
export const assignmentsDeadline = (record: StudentRecord, spec: ProgrammeSpecification) =>
  timeLimitDeadline(record, spec, 'assignments');

function limitStart(record: StudentRecord, from: TimeLimit['from']): string | null {
  if (from === 'cohort-first-facilitated-day') {
    const days = Object.values(record.facilitatedDays)
      .map((d) => d.attendedOn)
      .sort();
    return days[0] ?? null;
  }
  return record.enrolment?.enrolledOn ?? null;
}
