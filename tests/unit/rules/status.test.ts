import { describe, expect, it } from 'vitest';
import { statusRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent } from '../../support/student-events.ts';

const interrupted: Given = {
  eventId: 'interruption',
  type: 'StudyInterrupted',
  data: { from: '2024-03-01', expectedReturn: null, reason: 'Maternity leave' },
};
const withdrawn: Given = {
  eventId: 'withdrawal',
  type: 'StudentWithdrawn',
  data: { on: '2024-04-01', reason: 'Left the post' },
};

describe('rule: studying (status), never not-applicable', () => {
  it('met while the student is studying, and again once study resumes', () => {
    expect(judge(statusRule, enrolledStudent())).toMatchObject({
      outcome: 'met',
      events: [],
      outstanding: [],
    });
    const resumed: Given = { type: 'StudyResumed', data: { on: '2024-05-01' } };
    expect(judge(statusRule, [...enrolledStudent(), interrupted, resumed]).outcome).toBe('met');
  });

  it('not met while study is interrupted, naming the interruption', () => {
    const r = judge(statusRule, [...enrolledStudent(), interrupted]);
    expect(r).toMatchObject({
      outcome: 'not-met',
      figures: { interruptedFrom: '2024-03-01' },
      outstanding: ['Resume study after the interruption'],
    });
    expect(eventIds(r)).toEqual(['interruption']);
  });

  it('failed once the student withdrew, naming the withdrawal', () => {
    const r = judge(statusRule, [...enrolledStudent(), interrupted, withdrawn]);
    expect(r).toMatchObject({ outcome: 'failed', figures: { withdrawnOn: '2024-04-01' } });
    expect(r.reason).toContain('Left the post');
    expect(eventIds(r)).toEqual(['withdrawal']);
  });
});
