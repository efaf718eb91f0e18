import { describe, expect, it } from 'vitest';
import { atRisk, statutoryDeadline } from '../../../src/domain/statutory/deadline.ts';
import { fold, type Given } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import { eligibleStudent, enrolledStudent, type Fact } from '../../support/student-events.ts';

// reg. 49(4): appointed SENCO after 1 September 2009, not SENCO for more than twelve months in total
// before, must hold the qualification after the third anniversary; Children and Families Act 2014 s.67:
// the duty binds mainstream and maintained nursery schools.

const appointed = (
  appointedOn: string | null,
  more: Partial<Fact<'SencoAppointmentRecorded'>['data']> = {},
): Fact<'SencoAppointmentRecorded'> => ({
  type: 'SencoAppointmentRecorded',
  data: { appointedOn, priorSencoMonths: 0, schoolType: 'maintained-mainstream', ...more },
});

const conferredOn = (on: string): Given => ({
  eventId: 'award-1',
  type: 'AwardConferred',
  data: {
    award: 'qualification',
    title: 'National Award for SEN Coordination',
    awards: ['National Award for SEN Coordination'],
    examBoardId: 'board-1',
    conferredOn: on,
    decidedAt: { position: '1', streamRevision: '0', evaluatedOn: on },
    specification: { programmeId: 'sw-consortium', version: 1 },
    decisionDigest: 'a'.repeat(64),
    duty: { satisfies: 'yes', completedOn: '2024-07-12' },
  },
});

const withdrawn: Given = { type: 'StudentWithdrawn', data: { on: '2024-07-01', reason: 'Left the post' } };

function deadline(events: Given[], today: string) {
  return statutoryDeadline(fold(events), decisionOn(events, today), today);
}

describe('the three-year deadline (reg. 49(4))', () => {
  it('appointed on 1 September 2009 itself is not under the duty; the day after is', () => {
    expect(deadline([...enrolledStudent('sw'), appointed('2009-09-01')], '2024-03-01').requirement).toBe(
      'not-required-appointed-by-2009',
    );
    expect(deadline([...enrolledStudent('sw'), appointed('2009-09-02')], '2024-03-01')).toMatchObject({
      requirement: 'required',
      threeYearDeadline: '2012-09-02',
    });
  });

  it('exactly twelve months as SENCO before is still under the duty; more than twelve is not', () => {
    const on = (months: number) =>
      deadline(
        [...enrolledStudent('sw'), appointed('2023-09-01', { priorSencoMonths: months })],
        '2024-03-01',
      );
    expect(on(12).requirement).toBe('required');
    expect(on(13).requirement).toBe('exempt-prior-service');
  });

  it('a qualification held on the third anniversary is in time; the day after is late', () => {
    const history = [...eligibleStudent('sw'), appointed('2021-09-02')];
    expect(deadline([...history, conferredOn('2024-09-02')], '2024-09-10').threeYearRisk).toBe('met');
    expect(deadline([...history, conferredOn('2024-09-03')], '2024-09-10').threeYearRisk).toBe('overdue');
    // not yet held on the day itself is not overdue; the day after is
    expect(deadline(history, '2024-09-02').threeYearRisk).toBe('at-risk');
    expect(deadline(history, '2024-09-03').threeYearRisk).toBe('overdue');
  });

  it('a SENCO in a school outside the duty (s.67: a PRU, an independent or special school) is never at risk', () => {
    for (const schoolType of ['pru', 'independent', 'special', 'pre-school'] as const) {
      const history = [...enrolledStudent('sw'), appointed('2021-01-04', { schoolType })];
      expect(deadline(history, '2024-03-01').requirement).toBe('not-required-school-outside-duty');
      expect(
        atRisk([{ record: fold(history), decision: decisionOn(history, '2024-03-01') }], '2024-03-01'),
      ).toEqual({
        atRisk: [],
        notStudying: [],
      });
    }
    const nursery = [...enrolledStudent('sw'), appointed('2021-01-04', { schoolType: 'maintained-nursery' })];
    expect(deadline(nursery, '2024-03-01').requirement).toBe('required');
  });

  it('names the qualification missing: the one the SENCO’s course counts for, or the NPQ for a course started now', () => {
    const onNa = [...enrolledStudent('sw'), appointed('2021-09-01')];
    expect(deadline(onNa, '2024-08-01')).toMatchObject({
      threeYearRisk: 'at-risk',
      qualificationMissing: 'National Award for Special Educational Needs Co-ordination',
    });
    // a course started on or after 1 September 2024 does not lead to the qualification that counts
    const late = [...enrolledStudent('sw', { enrolledOn: '2024-09-02' }), appointed('2024-10-01')];
    const d = deadline(late, '2024-10-10');
    expect(d.qualificationMissing).toBe(
      'National Professional Qualification for Special Educational Needs Co-ordinators',
    );
    expect(d.reasons.join(' ')).toMatch(/The duty needs the National Professional Qualification/);
  });

  it('shows the withdrawn apart from those at risk', () => {
    const history = [...enrolledStudent('sw'), appointed('2021-09-01'), withdrawn];
    const lists = atRisk(
      [{ record: fold(history), decision: decisionOn(history, '2024-08-01') }],
      '2024-08-01',
    );
    expect(lists.atRisk).toEqual([]);
    expect(lists.notStudying).toMatchObject([{ standing: 'withdrawn', threeYearRisk: 'at-risk' }]);
  });
});
