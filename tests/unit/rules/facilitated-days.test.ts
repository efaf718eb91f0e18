import { describe, expect, it } from 'vitest';
import { facilitatedDaysRule } from '../../../src/domain/rules/index.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, facilitatedDays } from '../../support/student-events.ts';

// The South West Consortium asks for 6 facilitated days (and recommends 4 study days).

describe('rule: facilitated days', () => {
  it('not applicable where none are required', () => {
    expect(judge(facilitatedDaysRule, [...enrolledStudent('blended'), ...facilitatedDays(2)]).outcome).toBe(
      'not-applicable',
    );
  });

  it('met with every day attended', () => {
    const r = judge(facilitatedDaysRule, [...enrolledStudent('sw'), ...facilitatedDays(6)]);
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { attended: 6, required: 6, recommendedStudyDays: 4 },
    });
    expect(r.events).toHaveLength(6);
  });

  it('not met with days still to attend, a day recorded twice counting once', () => {
    const twice = [...enrolledStudent('sw'), ...facilitatedDays(4), ...facilitatedDays(1)];
    expect(judge(facilitatedDaysRule, twice)).toMatchObject({
      outcome: 'not-met',
      figures: { attended: 4 },
      outstanding: ['Attend 2 more facilitated day(s)'],
    });
  });
});
