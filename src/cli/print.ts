import { londonDate } from '../domain/calendar.ts';
import type { AttemptStanding, CreditLedger, Decision } from '../domain/rules/schema.ts';
import type { EventRef } from '../domain/student-record.ts';

// How the command line prints a record, a decision and a replay for a person at a terminal. Every event
// carries two times, and both are printed, named: when it happened (occurred-at, the date of the fact:
// a mark's marking day, a board's date) and when the ledger recorded it (recorded-at, when it was
// appended, which is what "as known at" bounds).

const londonDay = (instant: string) => instant.slice(0, 10);

export function eventLine(e: EventRef): string {
  return `event ${e.eventId} ${e.type} by ${e.actor.id} (${e.actor.role}): happened ${londonDay(e.occurredAt)}, recorded ${e.recordedAt}`;
}

/** One attempt as `43`, `50*` (provisional), `pass`/`fail*` (a pass/fail result) or `-` (nothing yet). */
function attemptMark(a: AttemptStanding): string {
  if (a.result) return `${a.result}${a.ratified ? '' : '*'}`;
  if (a.effectiveMark === null) return a.dueBy ? `-(due ${a.dueBy})` : '-';
  return `${a.effectiveMark}${a.ratified ? '' : '*'}`;
}

export const MARKS_LEGEND =
  '  marks, one per attempt, oldest first: 43 the mark that stands (after any resubmission cap); 43* provisional (not yet ratified by an exam board); - nothing marked yet; pass or fail the result of a pass/fail assessment (fail* not yet confirmed by the board)';

export function creditLines(credits: CreditLedger): string[] {
  return [
    `credits: ${credits.earned}/${credits.required} ratified (${credits.earnedIncludingProvisional} with provisional)`,
    ...credits.modules.map(
      (m) => `  ${m.moduleCode.padEnd(8)} ${m.status.padEnd(24)} ${m.attempts.map(attemptMark).join(' ')}`,
    ),
    MARKS_LEGEND,
  ];
}

export interface DecisionBound {
  /** "As known at": only events recorded by this instant were read. */
  knownAt?: string;
  eventsIncluded?: number;
}

export function decisionLines(d: Decision, bound: DecisionBound = {}): string[] {
  const lines = [
    d.summary,
    `specification ${d.specification.programmeId} v${d.specification.version}; framework ${d.framework.frameworkId} v${d.framework.version}`,
    `judged on ${d.evaluatedOn}, from the log up to position ${d.asOf.position}${
      bound.knownAt ? ` as known at ${bound.knownAt} (${bound.eventsIncluded} events recorded by then)` : ''
    }`,
    `credits ${d.credits.earned}/${d.credits.required}; digest ${d.digest}`,
    ...(d.awards.length > 1 ? [`awards: ${d.awards.join('; ')}`] : []),
    `statutory duty (reg. 49(7)): ${d.duty.satisfies === 'yes' ? 'satisfied' : d.duty.satisfies === 'no' ? 'not satisfied' : 'not yet'}. ${d.duty.reason}${d.duty.wouldSatisfy ? ` What would: ${d.duty.wouldSatisfy}.` : ''}  (${d.duty.source})`,
    'each event: when it happened (occurred-at) and when the ledger recorded it (recorded-at)',
  ];
  for (const r of d.rules) {
    lines.push('', `[${r.outcome.toUpperCase()}] ${r.title}  (${r.source})`, `  ${r.reason}`);
    const figures = Object.entries(r.figures).map(([k, v]) => `${k}=${v}`);
    if (figures.length) lines.push(`  figures: ${figures.join(', ')}`);
    for (const o of r.outstanding) lines.push(`  outstanding: ${o}`);
    for (const e of r.events.slice(0, 8)) lines.push(`  ${eventLine(e)}`);
    if (r.events.length > 8) lines.push(`  ... and ${r.events.length - 8} more events`);
  }
  return lines;
}

export interface ReplayStep {
  step: number;
  entry: { ref: EventRef; summary: string };
  outcome: string | null;
  creditsEarned: number;
}

export function replayLines(steps: ReplayStep[]): string[] {
  if (steps.length === 0) return ['no events within that bound'];
  const head = `${'step'.padStart(4)}  ${'happened'.padEnd(10)}  ${'recorded'.padEnd(10)}  ${'decision after it'.padEnd(18)}  credits  event`;
  return [
    head,
    ...steps.map(
      (s) =>
        `${String(s.step).padStart(4)}  ${londonDay(s.entry.ref.occurredAt)}  ${londonDate(s.entry.ref.recordedAt)}  ${String(s.outcome).padEnd(18)}  ${`${s.creditsEarned}`.padEnd(7)}  ${s.entry.summary}`,
    ),
  ];
}
