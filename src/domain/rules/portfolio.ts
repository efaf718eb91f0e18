import { defineRule, latest } from './define-rule.ts';

export const portfolioRule = defineRule({
  id: 'portfolio',
  title: 'Portfolio complete',
  source: ({ spec }) => (spec.portfolios.some((p) => p.required) ? spec.sources.join(', ') : 'specification'),
  area: 'portfolio',
  evaluate({ record, spec }) {
    const required = spec.portfolios.filter((p) => p.required);
    if (required.length === 0) return { outcome: 'not-applicable', reason: 'No portfolio is required.' };
    const missing = required.filter((p) => !record.portfolios[p.code]);
    const events = required.map((p) => record.portfolios[p.code]?.ref);
    const figures = Object.fromEntries(
      required.map((p) => [p.code, record.portfolios[p.code]?.completedOn ?? null]),
    );
    if (missing.length === 0)
      return {
        outcome: 'met',
        reason: `Completed: ${required.map((p) => p.title).join('; ')}.`,
        figures,
        events,
        metOn: latest(required.map((p) => record.portfolios[p.code]?.completedOn)),
      };
    return {
      outcome: 'not-met',
      reason: `Not yet completed: ${missing.map((p) => p.title).join('; ')}.`,
      figures,
      events,
      outstanding: missing.map((p) => `Complete the ${p.title}`),
    };
  },
});
