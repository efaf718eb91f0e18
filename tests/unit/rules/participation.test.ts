import { describe, expect, it } from 'vitest';
import { participationRule } from '../../../src/domain/rules/index.ts';
import { decisionOn, eventIds, judge } from '../../support/judge.ts';
import {
  confirmed,
  eligibleStudent,
  enrolledStudent,
  resultOf,
  sat,
  tookPart,
  withPlannedSessions,
} from '../../support/student-events.ts';

// The NPQ for SENCOs (npq-senco-bpn): 90% of the cohort's sessions and activities to sit the assessment;
// one case study, pass/fail, confirmed by the lead provider's assessment board. No credits, no level.

const npq = withPlannedSessions(enrolledStudent('npq', { enrolledOn: '2024-10-07' }), 5, 5);

describe('rule: participation threshold', () => {
  it('met at 90% of the sessions and activities the cohort planned, on the day it was reached', () => {
    const nine = ['s1', 's2', 's3', 's4', 's5', 'a1', 'a2', 'a3', 'a4'].map((s, i) =>
      tookPart(s, s.startsWith('a') ? 'activity' : 'session', `2025-0${1 + Math.floor(i / 2)}-10`),
    );
    const r = judge(participationRule, [...npq, ...nine]);
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { counted: 9, of: 10, thresholdPercent: 90 },
      metOn: '2025-05-10',
    });
    expect(eventIds(r)).toHaveLength(9);
  });

  it('not met below it, saying how many more', () => {
    const r = judge(participationRule, [...npq, tookPart('s1'), tookPart('a1', 'activity')]);
    expect(r).toMatchObject({
      outcome: 'not-met',
      figures: { counted: 2, of: 10 },
      outstanding: ['Take part in 7 more of the sessions and activities'],
    });
    expect(r.reason).toContain('90% is needed to sit the assessment');
  });

  it('is listed only where the specification sets a threshold', () => {
    expect(decisionOn(enrolledStudent('sw'), '2024-08-01').rules.map((r) => r.rule)).not.toContain(
      participationRule.id,
    );
  });
});

describe('the NPQ decision', () => {
  it('is the NPQ once the case study passes and the board confirms it; no credits, no outcome sign-off', () => {
    const d = decisionOn(eligibleStudent('npq'), '2025-09-01');
    expect(d).toMatchObject({
      outcome: 'awarded',
      award: 'qualification',
      title: 'National Professional Qualification for Special Educational Needs Co-ordinators',
      outstanding: [],
    });
    const rule = (id: string) => d.rules.find((r) => r.rule === id)!;
    expect(rule('credits')).toMatchObject({
      title: 'Every assessment passed',
      outcome: 'met',
      metOn: '2025-08-20',
    });
    expect(rule('learning-outcomes').outcome).toBe('not-applicable');
    expect(rule('programme-time-limit')).toMatchObject({ outcome: 'met', figures: { lapses: false } });
    // reg. 49(7)(b): started on or after 1 September 2024, so the NPQ satisfies the duty
    expect(d.duty).toMatchObject({
      satisfies: 'yes',
      completedOn: '2025-08-20',
      qualification: { kind: 'npq-senco' },
    });
  });

  it('a result counts once confirmed; a confirmed fail leaves the resit to come', () => {
    const passed = resultOf('pass');
    const provisional = [...eligibleStudent('npq').filter((e) => e.type !== 'AssessmentResultsConfirmed')];
    expect(decisionOn(provisional, '2025-09-01').outstanding).toContain(
      'CS: pass awaiting exam-board ratification',
    );
    const failed = resultOf('fail');
    const history = [
      ...npq,
      ...eligibleStudent('npq').filter((e) => e.type === 'SessionParticipationRecorded'),
      sat(),
      failed,
      confirmed([failed]),
    ];
    const d = decisionOn(history, '2025-09-01');
    expect(d.outcome).toBe('not-yet-eligible');
    expect(d.credits.modules[0]).toMatchObject({
      status: 'resubmission-available',
      attempts: [{ result: 'fail', passed: false }],
    });
    expect(passed.data.result).toBe('pass');
  });

  it('started before 1 September 2024, the NPQ is not the qualification reg. 49(7) names: it says so, and keeps the award', () => {
    const early = eligibleStudent('npq').map((e) =>
      e.type === 'StudentEnrolled' ? { ...e, data: { ...e.data, enrolledOn: '2024-08-30' } } : e,
    );
    const d = decisionOn(early, '2025-09-01');
    expect(d.outcome).toBe('awarded');
    expect(d.duty.satisfies).toBe('no');
    expect(d.duty.wouldSatisfy).toMatch(/^the National Award for Special Educational Needs Co-ordination/);
  });
});
