import type { ProgrammeSpecification, TimeLimit } from '../../../events/programme-specification.ts';
import { addDays, addMonths, daysBetween, endOfNthTerm } from '../calendar.ts';
import type { StudentRecord } from '../student-record.ts';
import type { EventRef } from './schema.ts';

// The specification's time limits for one student, and a permitted resubmission's own deadline: where each
// starts, when it ends, paused by every interruption of study for its length, and extended where registry
// extended it. Every rule that judges a time limit reads it from here.

export interface Deadline {
  deadline: string;
  from: string;
  extended: boolean;
  /** Days added for interruptions of study (an interruption still open counts up to the day judged on). */
  pausedDays: number;
  /** False for an expected length of study: shown, never a reason to lapse. */
  lapses: boolean;
  /** The extension and interruptions that moved it. */
  events: EventRef[];
}

export type LimitName = 'outcomes' | 'assignments' | 'programme';

/** Days of interruption that began on or after `from` and before the (moving) deadline. */
function paused(record: StudentRecord, from: string, base: string, on: string) {
  let end = base;
  let days = 0;
  const events: EventRef[] = [];
  for (const i of record.interruptions) {
    if (i.from < from || i.from > end) continue;
    const until = i.resumedOn ?? (on > i.from ? on : i.from);
    const length = Math.max(0, daysBetween(i.from, until));
    days += length;
    end = addDays(end, length);
    events.push(i.ref);
    if (i.resumedRef) events.push(i.resumedRef);
  }
  return { end, days, events };
}

function moved(
  record: StudentRecord,
  from: string,
  base: string,
  on: string,
  extensionKey: string,
  lapses: boolean,
): Deadline {
  const p = paused(record, from, base, on);
  const ext = record.extensions[extensionKey];
  // an extension is the date registry set; it stands where it is later than the limit with its pauses
  if (ext && ext.newDeadline > p.end)
    return {
      deadline: ext.newDeadline,
      from,
      extended: true,
      pausedDays: p.days,
      lapses,
      events: [...p.events, ext.ref],
    };
  return { deadline: p.end, from, extended: false, pausedDays: p.days, lapses, events: p.events };
}

/** A time limit of the specification for this student; null until it starts (or where there is none). */
export function timeLimitDeadline(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  which: LimitName,
  on: string,
): Deadline | null {
  const limit = spec.timeLimits[which];
  if (!limit) return null;
  const start = limitStart(record, limit.from);
  if (!start) return null;
  const base = limit.months ? addMonths(start, limit.months) : endOfNthTerm(start, limit.terms ?? 1);
  return moved(record, start, base, on, which, limit.lapses);
}

export const outcomesDeadline = (record: StudentRecord, spec: ProgrammeSpecification, on: string) =>
  timeLimitDeadline(record, spec, 'outcomes', on);
export const assignmentsDeadline = (record: StudentRecord, spec: ProgrammeSpecification, on: string) =>
  timeLimitDeadline(record, spec, 'assignments', on);
export const programmeDeadline = (record: StudentRecord, spec: ProgrammeSpecification, on: string) =>
  timeLimitDeadline(record, spec, 'programme', on);

/** A permitted resubmission keeps its own deadline: paused by interruptions after it, extended by registry. */
export function resubmissionDeadline(
  record: StudentRecord,
  moduleCode: string,
  attempt: number,
  on: string,
): Deadline | null {
  const a = record.modules[moduleCode]?.find((x) => x.attempt === attempt);
  if (!a?.permitted || a.deadline === null) return null;
  const permittedOn = a.permitted.occurredAt.slice(0, 10);
  return moved(record, permittedOn, a.deadline, on, `resubmission:${moduleCode}:${attempt}`, true);
}

function limitStart(record: StudentRecord, from: TimeLimit['from']): string | null {
  const e = record.enrolment;
  if (from === 'cohort-first-facilitated-day') {
    // seed 000: from the first face-to-face training day, the cohort's; an enrolment recorded before the
    // cohort's dates were kept falls back to the student's first day
    if (e?.cohort) return e.cohort.firstFacilitatedDay ?? e.cohort.startsOn;
    const days = Object.values(record.facilitatedDays)
      .map((d) => d.attendedOn)
      .sort();
    return days[0] ?? null;
  }
  return e?.enrolledOn ?? null;
}
