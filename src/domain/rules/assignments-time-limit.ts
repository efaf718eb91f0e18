import { assignmentsDeadline, type Deadline, resubmissionDeadline } from './deadlines.ts';
import { defineRule, latest } from './define-rule.ts';
import type { EventRef, Figure } from './schema.ts';

// Every final submission within its limit: the specification's limit for assignments, except that a
// permitted resubmission keeps its own deadline (extended where registry extended it, paused by an
// interruption of study) whatever the programme's limit says.

export const assignmentsTimeLimitRule = defineRule({
  id: 'assignments-time-limit',
  title: 'Assignments within the time limit',
  source: ({ spec }) => spec.timeLimits.assignments?.source ?? 'no time limit in this specification',
  area: 'time-limits',
  evaluate({ record, spec, credits, on }) {
    const limit = spec.timeLimits.assignments ? assignmentsDeadline(record, spec, on) : null;
    const resubmissions: { code: string; attempt: number; deadline: Deadline }[] = [];
    for (const m of credits.modules)
      for (const a of record.modules[m.moduleCode] ?? []) {
        const deadline = resubmissionDeadline(record, m.moduleCode, a.attempt, on);
        if (deadline) resubmissions.push({ code: m.moduleCode, attempt: a.attempt, deadline });
      }
    if (!spec.timeLimits.assignments && resubmissions.length === 0)
      return {
        outcome: 'not-applicable',
        reason: 'This specification sets no time limit for assignments, and no resubmission has a deadline.',
      };
    if (spec.timeLimits.assignments && !limit)
      return {
        outcome: 'not-met',
        reason: 'The time limit starts at enrolment, which is not recorded.',
        outstanding: ['Enrol the student'],
      };
    const late: string[] = [];
    const overdue: string[] = [];
    const events: EventRef[] = [];
    for (const m of credits.modules) {
      for (const attempt of record.modules[m.moduleCode] ?? []) {
        const own = resubmissions.find((r) => r.code === m.moduleCode && r.attempt === attempt.attempt);
        const due = own?.deadline ?? limit;
        const finals = attempt.submissions.filter((s) => s.kind === 'final');
        for (const s of finals) {
          events.push(s.ref);
          if (due && s.submittedOn > due.deadline)
            late.push(
              `${m.moduleCode} attempt ${attempt.attempt} (${s.submittedOn}, due by ${due.deadline})`,
            );
        }
        // a resubmission not handed in by its own deadline
        if (own && finals.length === 0 && attempt.markChain === null && on > own.deadline.deadline)
          overdue.push(`${m.moduleCode} attempt ${attempt.attempt} (due by ${own.deadline.deadline})`);
      }
    }
    if (limit) events.push(...limit.events);
    const figures: Record<string, Figure> = limit
      ? { deadline: limit.deadline, from: limit.from, extended: limit.extended, evaluatedOn: on }
      : { evaluatedOn: on };
    if (limit?.pausedDays) figures.pausedDays = limit.pausedDays;
    for (const r of resubmissions) {
      figures[`${r.code}.${r.attempt}.deadline`] = r.deadline.deadline;
      if (r.deadline.extended) figures[`${r.code}.${r.attempt}.extended`] = true;
      events.push(...r.deadline.events);
    }
    if (late.length)
      return {
        outcome: 'lapsed',
        reason: `Submitted after the deadline: ${late.join(', ')}.`,
        figures,
        events,
      };
    if (overdue.length)
      return {
        outcome: 'lapsed',
        reason: `A permitted resubmission was not handed in by its deadline: ${overdue.join(', ')}.`,
        figures,
        events,
      };
    const complete = credits.earnedIncludingProvisional >= credits.required;
    // the work is due by the programme's limit, or a later resubmission deadline
    const lastDue = latest([limit?.deadline, ...resubmissions.map((r) => r.deadline.deadline)]);
    if (limit && lastDue && !complete && on > lastDue)
      return {
        outcome: 'lapsed',
        reason: `The limit of ${lastDue} passed before the assignments were complete.`,
        figures,
        events,
      };
    return {
      outcome: 'met',
      reason: limit
        ? `Every final submission so far is within the limit of ${limit.deadline}${resubmissions.length ? ', and each resubmission within its own deadline' : ''}.`
        : 'Each resubmission so far is within its own deadline.',
      figures,
      events,
    };
  },
});
