import { describe, expect, it } from 'vitest';
import { outcomesRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import {
  enrolledStudent,
  facilitatedDays,
  OUTCOMES,
  outcomesSignedOff,
} from '../../support/student-events.ts';

// BPN (seed 000): every outcome within 18 months of the cohort's first face-to-face training day
// (2024-01-08 -> 2025-07-08 here). The experienced route's year is its expected length (seed 002).

const bpn = enrolledStudent('bpn');
const allSigned = (on?: string) => [...bpn, ...outcomesSignedOff(OUTCOMES.national, on)];
const experienced = enrolledStudent('experienced');

/** Enrolled on a cohort whose first facilitated day is `firstDay` (the student's own first day may differ). */
function onCohort(firstDay: string | null): Given[] {
  return bpn.map((e) =>
    e.type === 'StudentEnrolled'
      ? {
          ...e,
          data: {
            ...e.data,
            cohort: {
              startsOn: '2024-01-08',
              firstFacilitatedDay: firstDay,
              participationSessions: { session: 0, activity: 0 },
            },
          },
        }
      : e,
  );
}

describe('rule: every learning outcome signed off, never not-applicable', () => {
  it('met with every outcome of the framework signed off within the limit', () => {
    const r = judge(outcomesRule, allSigned('2025-06-01'), '2025-08-01');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { signedOff: 14, required: 14, deadline: '2025-07-08', deadlineExtended: false },
      metOn: '2025-06-01',
    });
    expect(eventIds(r)).toEqual(OUTCOMES.national.map((c) => `sign-off-${c}`));
  });

  it("counts the 18 months from the cohort's first face-to-face day, not the student's first recorded day", () => {
    // the student first attended (online) in March; the cohort's first day was in January
    const history = [...onCohort('2024-01-10'), ...facilitatedDays(1, 3)];
    expect(judge(outcomesRule, history).figures.deadline).toBe('2025-07-10');
    // an enrolment recorded before the cohort's dates were kept: the student's first day
    const legacy = bpn.map((e) =>
      e.type === 'StudentEnrolled' ? { ...e, data: { ...e.data, cohort: null } } : e,
    );
    expect(judge(outcomesRule, [...legacy, ...facilitatedDays(1, 3)]).figures.deadline).toBe('2025-09-10');
  });

  it('an interruption of study pauses the limit for its length', () => {
    const interrupted: Given[] = [
      {
        eventId: 'pause',
        type: 'StudyInterrupted',
        data: { from: '2024-10-01', expectedReturn: null, reason: 'Illness' },
      },
      { eventId: 'resume', type: 'StudyResumed', data: { on: '2024-12-31' } },
    ];
    const r = judge(outcomesRule, [...bpn, ...interrupted], '2025-08-01');
    expect(r).toMatchObject({ outcome: 'not-met', figures: { deadline: '2025-10-07', pausedDays: 91 } });
    expect(eventIds(r)).toEqual(['pause', 'resume']);
    // while it lasts, the limit cannot pass
    const open = judge(outcomesRule, [...bpn, interrupted[0]!], '2026-01-01');
    expect(open).toMatchObject({ outcome: 'not-met', figures: { deadline: '2026-10-08', pausedDays: 457 } });
  });

  it('the experienced route: the year is expected, never a lapse', () => {
    const r = judge(outcomesRule, experienced, '2026-01-01');
    expect(r).toMatchObject({ outcome: 'not-met', figures: { deadline: null, expectedBy: '2025-01-08' } });
    expect(r.reason).toBe('0 of 5 outcomes signed off (expected by 2025-01-08).');
  });

  it('not met with outcomes still to sign off, or a sign-off revoked', () => {
    const four = [...experienced, ...outcomesSignedOff(OUTCOMES.experienced.slice(0, 4))];
    expect(judge(outcomesRule, four)).toMatchObject({
      outcome: 'not-met',
      figures: { signedOff: 4 },
      outstanding: ['Sign off outcome E5.1'],
    });
    const allExperienced = [...experienced, ...outcomesSignedOff(OUTCOMES.experienced)];
    const revoked: Given = {
      eventId: 'revocation',
      type: 'OutcomeSignOffRevoked',
      data: {
        signOffEventId: 'sign-off-E1.1',
        outcomeCode: 'E1.1',
        reason: 'Misfiled',
        revokedOn: '2024-07-01',
      },
    };
    const r = judge(outcomesRule, [...allExperienced, revoked]);
    expect(r).toMatchObject({ outcome: 'not-met', outstanding: ['Sign off outcome E1.1'] });
    expect(eventIds(r)).toContain('revocation');
  });

  it('lapsed for a sign-off after the limit', () => {
    const r = judge(outcomesRule, allSigned('2025-07-09'), '2025-08-01');
    expect(r.outcome).toBe('lapsed');
    expect(r.reason).toContain('A1.1 (2025-07-09)');
  });

  it('lapsed when the limit passes with outcomes not signed off, not on its last day', () => {
    expect(judge(outcomesRule, bpn, '2025-07-08').outcome).toBe('not-met');
    expect(judge(outcomesRule, bpn, '2025-07-09').outcome).toBe('lapsed');
  });

  it('an extension moves the limit and is named among the events', () => {
    const extension: Given = {
      eventId: 'extension',
      type: 'ExtensionGranted',
      data: {
        timeLimit: 'outcomes',
        newDeadline: '2025-12-31',
        reason: 'Illness',
        authorisedBy: { id: 'r' },
      },
    };
    const r = judge(outcomesRule, [...allSigned('2025-09-01'), extension], '2025-10-01');
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2025-12-31', deadlineExtended: true } });
    expect(eventIds(r)).toContain('extension');
  });

  it('asks for every outcome of the national framework on the national programmes', () => {
    const r = judge(outcomesRule, enrolledStudent('sw'));
    expect(r.figures).toMatchObject({ signedOff: 0, required: OUTCOMES.national.length, deadline: null });
  });
});
