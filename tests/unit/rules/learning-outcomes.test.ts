import { describe, expect, it } from 'vitest';
import { outcomesRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent, OUTCOMES, outcomesSignedOff } from '../../support/student-events.ts';

// The experienced route: five outcomes, signed off within 12 months of enrolment (2024-01-08 -> 2025-01-08).

const experienced = enrolledStudent('experienced');
const allSigned = (on?: string) => [...experienced, ...outcomesSignedOff(OUTCOMES.experienced, on)];

describe('rule: every learning outcome signed off, never not-applicable', () => {
  it('met with every outcome of the framework signed off within the limit', () => {
    const r = judge(outcomesRule, allSigned('2024-12-01'), '2025-03-01');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { signedOff: 5, required: 5, deadline: '2025-01-08', deadlineExtended: false },
    });
    expect(eventIds(r)).toEqual(OUTCOMES.experienced.map((c) => `sign-off-${c}`));
  });

  it('not met with outcomes still to sign off, or a sign-off revoked', () => {
    const four = [...experienced, ...outcomesSignedOff(OUTCOMES.experienced.slice(0, 4))];
    expect(judge(outcomesRule, four)).toMatchObject({
      outcome: 'not-met',
      figures: { signedOff: 4 },
      outstanding: ['Sign off outcome E5.1'],
    });
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
    const r = judge(outcomesRule, [...allSigned(), revoked]);
    expect(r).toMatchObject({ outcome: 'not-met', outstanding: ['Sign off outcome E1.1'] });
    expect(eventIds(r)).toContain('revocation');
  });

  it('lapsed for a sign-off after the limit', () => {
    const r = judge(outcomesRule, allSigned('2025-01-09'), '2025-03-01');
    expect(r.outcome).toBe('lapsed');
    expect(r.reason).toContain('E1.1 (2025-01-09)');
  });

  it('lapsed when the limit passes with outcomes not signed off, not on its last day', () => {
    expect(judge(outcomesRule, experienced, '2025-01-08').outcome).toBe('not-met');
    expect(judge(outcomesRule, experienced, '2025-01-09').outcome).toBe('lapsed');
  });

  it('an extension moves the limit and is named among the events', () => {
    const extension: Given = {
      eventId: 'extension',
      type: 'ExtensionGranted',
      data: {
        timeLimit: 'outcomes',
        newDeadline: '2025-06-30',
        reason: 'Illness',
        authorisedBy: { id: 'r' },
      },
    };
    const r = judge(outcomesRule, [...allSigned('2025-03-01'), extension], '2025-04-01');
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2025-06-30', deadlineExtended: true } });
    expect(eventIds(r)).toContain('extension');
  });

  it('asks for every outcome of the national framework on the national programmes', () => {
    const r = judge(outcomesRule, enrolledStudent('sw'));
    expect(r.figures).toMatchObject({ signedOff: 0, required: OUTCOMES.national.length, deadline: null });
  });
});
