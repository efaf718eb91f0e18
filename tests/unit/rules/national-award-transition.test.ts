import { describe, expect, it } from 'vitest';
import { transitionRule } from '../../../src/domain/rules/index.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent, qtsHeld } from '../../support/student-events.ts';

// SI 2024/535: started before 1 September 2024, completed before 1 September 2027.

describe('rule: National Award transition (SI 2024/535)', () => {
  it('met for a course started before 1 September 2024, evaluated before 1 September 2027', () => {
    const r = judge(transitionRule, enrolledStudent('blended', { enrolledOn: '2024-08-31' }), '2027-08-31');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { startedOn: '2024-08-31', evaluatedOn: '2027-08-31' },
    });
    expect(eventIds(r)).toEqual(['enrolment']);
  });

  it('failed for a course started on or after 1 September 2024', () => {
    expect(judge(transitionRule, enrolledStudent('blended', { enrolledOn: '2024-09-01' })).outcome).toBe(
      'failed',
    );
  });

  it('lapsed when evaluated on or after 1 September 2027', () => {
    expect(judge(transitionRule, enrolledStudent(), '2027-09-01').outcome).toBe('lapsed');
  });

  it('not met before the course has started', () => {
    const r = judge(transitionRule, enrolledStudent().slice(0, -1), '2024-08-01', 'blended');
    expect(r).toMatchObject({
      outcome: 'not-met',
      outstanding: ['Enrol the student before 1 September 2024'],
    });
  });

  it('not applicable to the fallback certificate, which is not the statutory award', () => {
    const noQts = enrolledStudent('blended', { enrolledOn: '2024-09-01', qts: qtsHeld('none') });
    expect(judge(transitionRule, noQts)).toMatchObject({
      outcome: 'not-applicable',
      figures: {},
      events: [],
    });
  });
});
