import { assignmentsDeadline } from './deadlines.ts';
import { defineRule } from './define-rule.ts';
import type { EventRef } from './schema.ts';

export const assignmentsTimeLimitRule = defineRule({
  id: 'assignments-time-limit',
  title: 'Assignments within the time limit',
  source: ({ spec }) => spec.timeLimits.assignments?.source ?? 'no time limit in this specification',
  area: 'time-limits',
  evaluate({ record, spec, credits, on }) {
    if (!spec.timeLimits.assignments)
      return {
        outcome: 'not-applicable',
        reason: 'This specification sets no time limit for assignments.',
      };
    const limit = assignmentsDeadline(record, spec);
    if (!limit)
      return {
        outcome: 'not-met',
        reason: 'The time limit starts at enrolment, which is not recorded.',
        outstanding: ['Enrol the student'],
      };
    const late: string[] = [];
    const events: EventRef[] = [];
    for (const m of credits.modules) {
      for (const attempt of record.modules[m.moduleCode] ?? []) {
        for (const s of attempt.submissions) {
          if (s.kind !== 'final') continue;
          events.push(s.ref);
          if (s.submittedOn > limit.deadline)
            late.push(`${m.moduleCode} attempt ${attempt.attempt} (${s.submittedOn})`);
        }
      }
    }
    if (limit.extended) events.push(record.extensions.assignments!.ref);
    const figures = { deadline: limit.deadline, from: limit.from, extended: limit.extended, evaluatedOn: on };
    if (late.length)
      return {
        outcome: 'lapsed',
        reason: `Submitted after the limit of ${limit.deadline}: ${late.join(', ')}.`,
        figures,
        events,
      };
    const complete = credits.earnedIncludingProvisional >= credits.required;
    if (!complete && on > limit.deadline)
      return {
        outcome: 'lapsed',
        reason: `The limit of ${limit.deadline} passed before the assignments were complete.`,
        figures,
        events,
      };
    return {
      outcome: 'met',
      reason: `Every final submission so far is within the limit of ${limit.deadline}.`,
      figures,
      events,
    };
  },
});
