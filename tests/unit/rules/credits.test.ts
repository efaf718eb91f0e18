import { describe, expect, it } from 'vitest';
import { creditsRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, marked, passed, ratified, submitted } from '../../support/student-events.ts';

// seeds 000, 001, 003: 60 credits at level 7, from ratified marks (or approved APL/RPL) only.

const sw = enrolledStudent('sw');
const resubmission: Given = {
  type: 'ResubmissionPermitted',
  data: { moduleCode: 'SW1', attempt: 2, capAt: 50, deadline: null, permittedBy: { id: 'registry-1' } },
};
const failedOnce = [
  ...sw,
  submitted('SW1'),
  marked('SW1', 40, 'm1'),
  ratified([{ moduleCode: 'SW1', mark: 40, head: 'm1' }]),
];

describe('rule: credits, never not-applicable', () => {
  it('met with every required module passed and ratified', () => {
    const r = judge(creditsRule, [...sw, ...passed(['SW1', 'SW2'], 64)]);
    expect(r).toMatchObject({
      outcome: 'met',
      title: "60 Master's-level credits",
      figures: { earned: 60, required: 60, 'SW1.status': 'passed', 'SW1.mark': 64, 'SW2.status': 'passed' },
    });
  });

  it('not met while a pass awaits ratification or a module is not yet submitted or marked', () => {
    const r = judge(creditsRule, [...sw, submitted('SW1'), marked('SW1', 70, 'm1')]);
    expect(r).toMatchObject({
      outcome: 'not-met',
      figures: {
        earned: 0,
        earnedIncludingProvisional: 30,
        'SW1.status': 'passed-provisional',
        'SW2.mark': null,
      },
      outstanding: ['SW1: pass awaiting exam-board ratification', 'SW2: not yet submitted'],
    });
    expect(
      judge(creditsRule, [...sw, submitted('SW1'), submitted('SW2'), marked('SW2', 30, 'm2')]).outstanding,
    ).toEqual(['SW1: submitted, awaiting a mark', 'SW2: fail awaiting exam-board ratification']);
  });

  it('not met with a ratified fail that may be resubmitted; met when the capped resubmission passes', () => {
    expect(judge(creditsRule, failedOnce).outstanding).toEqual([
      'SW1: resubmission available',
      'SW2: not yet submitted',
    ]);
    const second = [
      ...failedOnce,
      resubmission,
      submitted('SW1', '2024-09-01', 2),
      marked('SW1', 72, 'm2', 2),
      ratified([{ moduleCode: 'SW1', mark: 72, head: 'm2', attempt: 2 }]),
      ...passed(['SW2']),
    ];
    // UK HE practice: the resubmission is capped at the pass mark
    expect(judge(creditsRule, second)).toMatchObject({ outcome: 'met', figures: { 'SW1.mark': 50 } });
  });

  it('failed when the last attempt allowed is a ratified fail', () => {
    const r = judge(creditsRule, [
      ...failedOnce,
      resubmission,
      submitted('SW1', '2024-09-01', 2),
      marked('SW1', 35, 'm2', 2),
      ratified([{ moduleCode: 'SW1', mark: 35, head: 'm2', attempt: 2 }]),
    ]);
    expect(r).toMatchObject({ outcome: 'failed', figures: { 'SW1.status': 'failed', 'SW1.mark': 35 } });
    expect(r.reason).toContain('SW1 (35)');
  });

  it('counts only up to the programme total, and optional tasks towards it', () => {
    const experienced = [...enrolledStudent('experienced'), ...passed(['TASK60', 'PORT', 'PRES'])];
    expect(judge(creditsRule, experienced)).toMatchObject({
      outcome: 'met',
      figures: { earned: 60, required: 60 },
    });
    expect(judge(creditsRule, [...enrolledStudent('experienced'), ...passed(['PORT'])])).toMatchObject({
      outcome: 'not-met',
      figures: { earned: 30 },
    });
  });
});
