import { describe, expect, it } from 'vitest';
import { assignmentsTimeLimitRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent, marked, passed, ratified, submitted } from '../../support/student-events.ts';

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
      'TASK60 attempt 1 (2027-01-09, due by 2027-01-08)',
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

  it('an interruption of study pauses the limit for its length', () => {
    const paused: Given[] = [
      {
        eventId: 'pause',
        type: 'StudyInterrupted',
        data: { from: '2025-01-01', expectedReturn: null, reason: 'Illness' },
      },
      { eventId: 'resume', type: 'StudyResumed', data: { on: '2025-03-01' } },
    ];
    const r = judge(
      assignmentsTimeLimitRule,
      [...experienced, ...paused, submitted('TASK60', '2027-02-20')],
      '2027-03-01',
    );
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2027-03-08', pausedDays: 59 } });
    expect(eventIds(r)).toEqual(expect.arrayContaining(['pause', 'resume']));
  });
});

describe('rule: a permitted resubmission keeps its own deadline', () => {
  // BPN: two assignments within four terms of registration (spring 2024 to spring 2025: 2025-03-31)
  const bpn = enrolledStudent('bpn');
  const failedFirst: Given[] = [
    submitted('RA1', '2024-05-01'),
    marked('RA1', 40, 'mark-RA1'),
    ratified([{ moduleCode: 'RA1', mark: 40, head: 'mark-RA1' }], '2024-07-12'),
  ];
  const permitted = (deadline: string): Given => ({
    eventId: 'permit',
    type: 'ResubmissionPermitted',
    data: { moduleCode: 'RA1', attempt: 2, capAt: 50, deadline, permittedBy: { id: 'r' } },
  });

  it('judges the resubmission against its own deadline, not the programme limit', () => {
    const history = [...bpn, ...failedFirst, permitted('2025-05-31'), submitted('RA1', '2025-05-20', 2)];
    const r = judge(assignmentsTimeLimitRule, history, '2025-05-25');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { deadline: '2025-03-31', 'RA1.2.deadline': '2025-05-31' },
    });
    // the programme's limit does not lapse the work while the resubmission is still due
    expect(
      judge(assignmentsTimeLimitRule, [...bpn, ...failedFirst, permitted('2025-05-31')], '2025-04-15')
        .outcome,
    ).toBe('met');
  });

  it('lapsed for a resubmission handed in after its own deadline, or not by then', () => {
    const late = [...bpn, ...failedFirst, permitted('2024-10-31'), submitted('RA1', '2024-11-05', 2)];
    const r = judge(assignmentsTimeLimitRule, late, '2024-11-10');
    expect(r.outcome).toBe('lapsed');
    expect(r.reason).toContain('RA1 attempt 2 (2024-11-05, due by 2024-10-31)');
    const missing = judge(
      assignmentsTimeLimitRule,
      [...bpn, ...failedFirst, permitted('2024-10-31')],
      '2024-11-01',
    );
    expect(missing).toMatchObject({ outcome: 'lapsed' });
    expect(missing.reason).toContain('was not handed in by its deadline: RA1 attempt 2 (due by 2024-10-31)');
  });

  it('an extension of the resubmission moves its deadline and is named', () => {
    const extension: Given = {
      eventId: 'extension',
      type: 'ExtensionGranted',
      data: {
        timeLimit: 'resubmission',
        moduleCode: 'RA1',
        attempt: 2,
        newDeadline: '2024-12-15',
        reason: 'Bereavement',
        authorisedBy: { id: 'r' },
      },
    };
    const history = [
      ...bpn,
      ...failedFirst,
      permitted('2024-10-31'),
      extension,
      submitted('RA1', '2024-11-05', 2),
    ];
    const r = judge(assignmentsTimeLimitRule, history, '2024-11-10');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { 'RA1.2.deadline': '2024-12-15', 'RA1.2.extended': true },
    });
    expect(eventIds(r)).toContain('extension');
  });
});
