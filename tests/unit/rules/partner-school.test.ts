import { describe, expect, it } from 'vitest';
import { partnerSchoolRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { judge } from '../../support/judge.ts';
import { enrolledStudent, visit } from '../../support/student-events.ts';

// The blended programme: partner-school days per module, M1 2, M2 1, M3 2.

const blended = enrolledStudent('blended');
const everyModule = [visit('M1'), visit('M1'), visit('M2'), visit('M3'), visit('M3')];

describe('rule: partner-school days', () => {
  it('not applicable where none are required', () => {
    expect(judge(partnerSchoolRule, [...enrolledStudent('bpn'), visit('RA1')]).outcome).toBe(
      'not-applicable',
    );
  });

  it("met with each module's days recorded", () => {
    const r = judge(partnerSchoolRule, [...blended, ...everyModule]);
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { 'M1.days': 2, 'M1.required': 2, 'M2.days': 1, total: 5, totalRequired: 5 },
    });
    expect(r.events).toHaveLength(5);
  });

  it('not met per module: extra days on one module do not make up for another', () => {
    const r = judge(partnerSchoolRule, [...blended, visit('M1'), visit('M1'), visit('M1'), visit('M3')]);
    expect(r).toMatchObject({
      outcome: 'not-met',
      figures: { total: 4, totalRequired: 5 },
      outstanding: ['M2: 1 more partner-school day(s)', 'M3: 1 more partner-school day(s)'],
    });
  });

  it('asks nothing of a module replaced by APL/RPL, and does not count days recorded against it', () => {
    const apl: Given[] = [
      {
        type: 'AplClaimSubmitted',
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          route: 'APL',
          submittedOn: '2024-01-10',
          evidenceSummary: 'PGCert',
        },
      },
      {
        type: 'AplClaimDecided',
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          decision: 'approved',
          decidedOn: '2024-01-20',
          decidedBy: { id: 'r' },
          reason: 'Equivalent',
        },
      },
    ];
    const r = judge(partnerSchoolRule, [
      ...blended,
      ...apl,
      visit('M1'),
      visit('M2'),
      visit('M3'),
      visit('M3'),
    ]);
    expect(r).toMatchObject({ outcome: 'met', figures: { total: 3, totalRequired: 3 } });
    expect(r.figures).not.toHaveProperty('M1.days');
  });
});
