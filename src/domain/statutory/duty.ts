import { DateTime } from 'luxon';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import type { DecisionOutcome, Duty, EventRef, RuleResult } from '../rules/schema.ts';
import type { StudentRecord } from '../student-record.ts';
import { SencoQualificationLaw, type StatutoryQualification } from './schema.ts';
import lawDocument from './send-regulations-reg-49.v2.json' with { type: 'json' };

// Whether the qualification a student's programme gives satisfies the SENCO duty for their dates
// (reg. 49(7)): decided on when the course was started and when it was completed (the day its last
// requirement was met), never on the day of conferral or of evaluation. It says so beside the award and
// never changes it: a National Award started after 1 September 2024 is still the university's award.

export const law = SencoQualificationLaw.parse(lawDocument);

export function statutoryQualification(kind: string): StatutoryQualification | undefined {
  return law.qualifications.find((q) => q.kind === kind);
}

// Every decision explains its duty with these dates, and luxon parsing and formatting them was ~9% of a
// step-by-step replay's time (a profile of 600 replays): the same dates recur, so answers are remembered.
const longDates = new Map<string, string>();
function longDate(iso: string): string {
  let text = longDates.get(iso);
  if (text === undefined) {
    if (longDates.size >= 10_000) longDates.clear();
    text = DateTime.fromISO(iso).toFormat('d LLLL yyyy');
    longDates.set(iso, text);
  }
  return text;
}

/** Does a course started on `startedOn` fall in the qualification's window? */
function startsInWindow(q: StatutoryQualification, startedOn: string): boolean {
  return (
    (q.startedOnOrAfter === null || startedOn >= q.startedOnOrAfter) &&
    (q.startedBefore === null || startedOn < q.startedBefore)
  );
}

/** The qualification reg. 49(7) names for a course started on that day, and why. */
export function qualificationFor(startedOn: string): StatutoryQualification | undefined {
  return law.qualifications.find((q) => startsInWindow(q, startedOn));
}

function wouldSatisfy(kind: string, from: string): string | null {
  const q = law.qualifications.find((x) => x.kind !== kind && startsInWindow(x, from));
  return q ? `the ${q.title}, on a course started from ${from} (${q.source.split(':')[0]})` : null;
}

/** The day the last requirement was met: the latest date a rule that is met gives for it, and that rule. */
export function completion(results: RuleResult[]): { on: string; rule: RuleResult } | null {
  let last: { on: string; rule: RuleResult } | null = null;
  for (const r of results)
    if (r.outcome === 'met' && r.metOn && (!last || r.metOn > last.on)) last = { on: r.metOn, rule: r };
  return last;
}

export function qualificationDuty(args: {
  record: StudentRecord;
  spec: ProgrammeSpecification;
  on: string;
  outcome: DecisionOutcome;
  results: RuleResult[];
}): Duty {
  const { record, spec, on, outcome, results } = args;
  const q = statutoryQualification(spec.qualification.kind);
  const startedOn = record.enrolment?.enrolledOn ?? null;
  const awarded = outcome === 'awarded';
  const done = awarded ? completion(results) : null;
  const events: EventRef[] = [];
  if (record.enrolment) events.push(record.enrolment.ref);
  if (done) events.push(...done.rule.events.slice(-1));
  const base = {
    qualification: { kind: spec.qualification.kind, title: q?.title ?? spec.awards.qualification },
    startedOn,
    completedOn: done?.on ?? null,
    completedBy: done ? done.rule.rule : null,
    startBefore: q?.startedBefore ?? null,
    startOnOrAfter: q?.startedOnOrAfter ?? null,
    completeBefore: q?.completedBefore ?? null,
    source: q?.source ?? 'not a qualification named in reg. 49(7)',
    events,
  };
  const no = (reason: string, from = on): Duty => ({
    ...base,
    satisfies: 'no',
    reason,
    wouldSatisfy: wouldSatisfy(spec.qualification.kind, from),
  });
  if (!q) return no(`The ${spec.awards.qualification} is not a qualification reg. 49(7) names.`);
  if (outcome === 'fallback-certificate' || outcome === 'exit-award')
    return no(`The award this decision gives is not the ${q.title}, so it does not satisfy reg. 49.`);
  if (results.some((r) => r.outcome === 'fallback'))
    return no(
      `Without QTS this programme leads to the ${spec.awards.withoutQts?.title ?? 'fallback award'}, not the ${q.title}.`,
    );
  if (!startedOn)
    return {
      ...base,
      satisfies: 'not-yet',
      reason: 'The course has not started: the dates that decide the duty are not known yet.',
      wouldSatisfy: null,
    };
  if (!startsInWindow(q, startedOn))
    return no(
      `The course started on ${startedOn}; reg. 49(7) names the ${q.title} only for a course started ${q.startedBefore ? `before ${longDate(q.startedBefore)}` : `on or after ${longDate(q.startedOnOrAfter!)}`}. The award stands; it does not satisfy the duty.`,
      startedOn,
    );
  const deadline = q.completedBefore;
  if (done) {
    if (deadline && done.on >= deadline)
      return no(
        `Completed on ${done.on} (${done.rule.title}), not before ${longDate(deadline)}. The award stands; it does not satisfy the duty.`,
      );
    return {
      ...base,
      satisfies: 'yes',
      reason: `Started on ${startedOn} and completed on ${done.on}, the day the last requirement was met (${done.rule.title})${deadline ? `, before ${longDate(deadline)}` : ''}: it satisfies reg. 49.`,
      wouldSatisfy: null,
    };
  }
  if (awarded)
    return {
      ...base,
      satisfies: 'not-yet',
      reason:
        'Every requirement is met, but none gives the day it was met: the completion date is not known.',
      wouldSatisfy: null,
    };
  if (outcome === 'withdrawn' || outcome === 'failed' || outcome === 'lapsed')
    return no(`The programme gives no award (${outcome}), so nothing here satisfies the duty.`);
  if (deadline && on >= deadline)
    return no(
      `Not completed before ${longDate(deadline)}: even if the award is still made, it will not satisfy the duty.`,
    );
  return {
    ...base,
    satisfies: 'not-yet',
    reason: `Started on ${startedOn}, in the window for the ${q.title}${deadline ? `: it satisfies reg. 49 if completed before ${longDate(deadline)}` : ''}.`,
    wouldSatisfy: null,
  };
}
