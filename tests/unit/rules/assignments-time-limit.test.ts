import { describe, expect, it } from 'vitest';
import { assignmentsTimeLimitRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent, passed, submitted } from '../../support/student-events.ts';

// The experienced route: assignments within 36 months of enrolment (2024-01-08 -> 2027-01-08).

const experienced = enrolledStudent('experienced');
const extension: Given = {
  eventId: 'extension',
  type: 'ExtensionGranted',
  data: { timeLimit: 'assignments', newDeadline: '2027-06-30', reason: 'Illness', authorisedBy: { id: 'r' } },
};

describe('rule: assignments within the time limit', () => {
  it('not applicable where the specification sets no limit', () => {
    expect(judge(assignmentsTimeLimitRule, enrolledStudent('blended')).outcome).toBe('not-applicable');
  });

  it('met while every final submission is within the limit', () => {
    const r = judge(assignmentsTimeLimitRule, [...experienced, ...passed(['TASK60'])], '2025-01-01');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { deadline: '2027-01-08', from: '2024-01-08', extended: false, evaluatedOn: '2025-01-01' },
    });
    expect(eventIds(r)).toEqual(['e6']); // the final submission
  });

  it('not met before the limit has started (no enrolment)', () => {
    const r = judge(assignmentsTimeLimitRule, experienced.slice(0, -1), '2024-08-01', 'experienced');
    expect(r).toMatchObject({ outcome: 'not-met', outstanding: ['Enrol the student'] });
  });

  it('lapsed for a submission after the limit', () => {
    const late = [...experienced, submitted('TASK60', '2027-01-09')];
    expect(judge(assignmentsTimeLimitRule, late, '2027-02-01')).toMatchObject({ outcome: 'lapsed' });
    expect(judge(assignmentsTimeLimitRule, late, '2027-02-01').reason).toContain(
      'TASK60 attempt 1 (2027-01-09)',
    );
  });

  it('lapsed when the limit passes before the credits are complete, not on its last day', () => {
    expect(judge(assignmentsTimeLimitRule, experienced, '2027-01-08').outcome).toBe('met');
    expect(judge(assignmentsTimeLimitRule, experienced, '2027-01-09').outcome).toBe('lapsed');
  });

  it('an extension moves the limit and is named among the events', () => {
    const r = judge(
      assignmentsTimeLimitRule,
      [...experienced, extension, submitted('TASK60', '2027-03-01')],
      '2027-04-01',
    );
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2027-06-30', extended: true } });
    expect(eventIds(r)).toContain('extension');
  });
});
