import { describe, expect, it } from 'vitest';
import { entryEvidenceRule } from '../../../src/domain/rules/index.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { assessed, enrolledStudent, qtsHeld } from '../../support/student-events.ts';

const without = (type: string) => enrolledStudent().filter((e) => e.type !== type);

describe('rule: entry evidence (role, eligibility, induction), never not-applicable', () => {
  it('met with the role confirmed, the applicant assessed eligible and induction complete', () => {
    const r = judge(entryEvidenceRule, enrolledStudent());
    expect(r).toMatchObject({
      outcome: 'met',
      figures: {
        roleBasis: 'governing-body-designation',
        eligible: true,
        inductionNeeded: true,
        inductionCompleted: true,
      },
    });
    expect(eventIds(r)).toEqual(['e2', 'e3', 'e1']); // role, eligibility, QTS
  });

  it('not met without the role confirmation or the eligibility assessment, listing each', () => {
    expect(judge(entryEvidenceRule, without('SencoRoleConfirmed')).outstanding).toEqual([
      'Record the governing body confirmation of the SENCO role or the headteacher support',
    ]);
    expect(judge(entryEvidenceRule, without('EligibilityAssessed')).outstanding).toEqual([
      'Record the eligibility assessment',
    ]);
    const notEligible = [...enrolledStudent(), assessed(false)];
    expect(judge(entryEvidenceRule, notEligible)).toMatchObject({
      outcome: 'not-met',
      outstanding: ['The eligibility assessment found the applicant not eligible'],
    });
  });

  it('not met without induction where QTS was gained from July 1999 on; met before it or with QTLS', () => {
    const qts = (status: 'QTS' | 'QTLS', awardedOn: string) =>
      enrolledStudent('blended', { qts: qtsHeld(status, { awardedOn, inductionCompleted: false }) });
    expect(judge(entryEvidenceRule, qts('QTS', '1999-07-01'))).toMatchObject({
      outcome: 'not-met',
      outstanding: ['Evidence completion of statutory induction (QTS gained from July 1999)'],
    });
    expect(judge(entryEvidenceRule, qts('QTS', '1999-06-30'))).toMatchObject({
      outcome: 'met',
      figures: { inductionNeeded: false },
    });
    expect(judge(entryEvidenceRule, qts('QTLS', '2012-07-01')).outcome).toBe('met');
  });
});
