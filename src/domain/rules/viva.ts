import { defineRule } from './define-rule.ts';

export const vivaRule = defineRule({
  id: 'viva',
  title: 'Viva voce passed',
  source: ({ spec }) => spec.viva.source,
  area: 'outcomes',
  evaluate({ record, spec }) {
    if (!spec.viva.required) return { outcome: 'not-applicable', reason: 'This route has no viva.' };
    const v = record.viva;
    if (!v)
      return {
        outcome: 'not-met',
        reason: 'No viva has been held.',
        outstanding: ['Hold the viva on the Professional Development Portfolio'],
      };
    const figures = { heldOn: v.heldOn, outcome: v.outcome };
    const events = [v.ref];
    if (v.outcome === 'pass')
      return { outcome: 'met', reason: `Viva passed on ${v.heldOn}.`, figures, events, metOn: v.heldOn };
    if (v.outcome === 'fail')
      return { outcome: 'failed', reason: `Viva failed on ${v.heldOn}.`, figures, events };
    return {
      outcome: 'not-met',
      reason: `Viva on ${v.heldOn} referred the student for further evidence.`,
      figures,
      events,
      outstanding: ['Hold the referred viva again'],
    };
  },
});
