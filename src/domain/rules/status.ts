import { defineRule, type Verdict } from './define-rule.ts';

export const statusRule = defineRule({
  id: 'status',
  title: 'Studying (not interrupted or withdrawn)',
  source: 'domain',
  area: 'status',
  evaluate({ record }): Verdict {
    if (record.withdrawal)
      return {
        outcome: 'failed',
        reason: `Withdrew on ${record.withdrawal.on}: ${record.withdrawal.reason}`,
        figures: { withdrawnOn: record.withdrawal.on },
        events: [record.withdrawal.ref],
      };
    if (record.interruption)
      return {
        outcome: 'not-met',
        reason: `Study interrupted from ${record.interruption.from}.`,
        figures: { interruptedFrom: record.interruption.from },
        events: [record.interruption.ref],
        outstanding: ['Resume study after the interruption'],
      };
    return { outcome: 'met', reason: 'The student is studying.' };
  },
});
