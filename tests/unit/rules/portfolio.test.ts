import { describe, expect, it } from 'vitest';
import { portfolioRule } from '../../../src/domain/rules/index.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, portfolioDone } from '../../support/student-events.ts';

// The blended programme asks for a Professional Development Portfolio and a reflective learning log.

describe('rule: portfolio complete', () => {
  it('not applicable where the specification asks for none', () => {
    expect(judge(portfolioRule, enrolledStudent('sw')).outcome).toBe('not-applicable');
  });

  it('met with every required portfolio completed', () => {
    const r = judge(portfolioRule, [
      ...enrolledStudent(),
      portfolioDone('pdp', '2024-06-01'),
      portfolioDone('learning-log'),
    ]);
    expect(r).toMatchObject({ outcome: 'met', figures: { pdp: '2024-06-01', 'learning-log': '2024-06-30' } });
    expect(r.events).toHaveLength(2);
  });

  it('not met with one still to complete', () => {
    expect(judge(portfolioRule, [...enrolledStudent(), portfolioDone('pdp')])).toMatchObject({
      outcome: 'not-met',
      figures: { 'learning-log': null },
      outstanding: ['Complete the Reflective learning log'],
    });
  });
});
