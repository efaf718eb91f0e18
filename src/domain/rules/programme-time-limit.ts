import { programmeDeadline } from './deadlines.ts';
import { defineRule, latest } from './define-rule.ts';
import type { Figure } from './schema.ts';

// A limit on the whole programme, where a specification sets one: every other requirement met by then,
// paused by interruptions of study and extended where registry extended it. Listed last: it reads the
// results of every rule before it.

export const programmeTimeLimitRule = defineRule({
  id: 'programme-time-limit',
  title: 'The whole programme within its time limit',
  source: ({ spec }) => spec.timeLimits.programme?.source ?? 'no programme limit in this specification',
  area: 'time-limits',
  appliesTo: (spec) => spec.timeLimits.programme !== null,
  evaluate({ record, spec, on, results }) {
    const limit = programmeDeadline(record, spec, on);
    if (!limit)
      return {
        outcome: 'not-met',
        reason: 'The programme limit starts at enrolment, which is not recorded.',
        outstanding: ['Enrol the student'],
      };
    const figures: Record<string, Figure> = {
      deadline: limit.deadline,
      from: limit.from,
      extended: limit.extended,
      lapses: limit.lapses,
      evaluatedOn: on,
    };
    if (limit.pausedDays) figures.pausedDays = limit.pausedDays;
    const others = results().filter((r) => r.area !== 'entry' && r.area !== 'status');
    const unfinished = others.some((r) => r.outcome === 'not-met');
    const completedOn = unfinished ? null : latest(others.map((r) => r.metOn));
    figures.completedOn = completedOn;
    const events = limit.events;
    if (limit.lapses && unfinished && on > limit.deadline)
      return {
        outcome: 'lapsed',
        reason: `The programme's limit of ${limit.deadline} passed with requirements outstanding.`,
        figures,
        events,
      };
    if (limit.lapses && completedOn && completedOn > limit.deadline)
      return {
        outcome: 'lapsed',
        reason: `Completed on ${completedOn}, after the programme's limit of ${limit.deadline}.`,
        figures,
        events,
      };
    return {
      outcome: 'met',
      reason: limit.lapses
        ? `Within the programme's limit of ${limit.deadline} so far.`
        : `Expected to finish by ${limit.deadline} (an expected length, not a limit).`,
      figures,
      events,
    };
  },
});
