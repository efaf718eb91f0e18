import { describe, expect, it } from 'vitest';
import { vivaRule } from '../../../src/domain/rules/index.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent, vivaHeld } from '../../support/student-events.ts';

// The experienced route ends in a viva on the Professional Development Portfolio (seed 002).

const experienced = enrolledStudent('experienced');

describe('rule: viva voce passed', () => {
  it('not applicable on a route without a viva', () => {
    expect(judge(vivaRule, [...enrolledStudent('blended'), vivaHeld('pass')]).outcome).toBe('not-applicable');
  });

  it('met once passed, also after a referral', () => {
    const r = judge(vivaRule, [...experienced, vivaHeld('referred', '2024-05-01'), vivaHeld('pass')]);
    expect(r).toMatchObject({ outcome: 'met', figures: { heldOn: '2024-06-20', outcome: 'pass' } });
    expect(eventIds(r)).toEqual(['viva-pass']);
  });

  it('not met before it is held, or when it referred the student', () => {
    expect(judge(vivaRule, experienced)).toMatchObject({
      outcome: 'not-met',
      outstanding: ['Hold the viva on the Professional Development Portfolio'],
    });
    expect(judge(vivaRule, [...experienced, vivaHeld('referred')])).toMatchObject({
      outcome: 'not-met',
      outstanding: ['Hold the referred viva again'],
    });
  });

  it('failed when the viva is failed', () => {
    expect(judge(vivaRule, [...experienced, vivaHeld('fail')]).outcome).toBe('failed');
  });
});
