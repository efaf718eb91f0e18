import { defineRule } from './define-rule.ts';

export const facilitatedDaysRule = defineRule({
  id: 'facilitated-days',
  title: 'Facilitated (taught) days',
  source: ({ spec }) => spec.attendance.source,
  area: 'attendance',
  evaluate({ record, spec }) {
    const required = spec.attendance.facilitatedDaysRequired;
    if (required === 0) return { outcome: 'not-applicable', reason: 'No facilitated days are required.' };
    const days = Object.values(record.facilitatedDays);
    const figures = {
      attended: days.length,
      required,
      recommendedStudyDays: spec.attendance.recommendedStudyDays,
    };
    const events = days.map((d) => d.ref);
    const reason = `${days.length} of ${required} facilitated days attended.`;
    // met on the day the required number was reached
    const metOn = days.map((d) => d.attendedOn).sort()[required - 1] ?? null;
    if (days.length >= required) return { outcome: 'met', reason, figures, events, metOn };
    return {
      outcome: 'not-met',
      reason,
      figures,
      events,
      outstanding: [`Attend ${required - days.length} more facilitated day(s)`],
    };
  },
});
