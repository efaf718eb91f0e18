import { describe, expect, it } from 'vitest';
import { qtsRule } from '../../../src/domain/rules/index.ts';
import { decisionOn, eventIds, judge } from '../../support/judge.ts';
import { eligibleStudent, enrolledStudent, qtsHeld } from '../../support/student-events.ts';

const noQts = (programme: 'blended' | 'bpn') => enrolledStudent(programme, { qts: qtsHeld('none') });

describe('rule: qualified teacher status, not applicable only where the specification does not require it', () => {
  it('met with QTS or QTLS and the teacher reference number checked', () => {
    const r = judge(qtsRule, enrolledStudent());
    expect(r).toMatchObject({ outcome: 'met', figures: { status: 'QTS', trnChecked: true } });
    expect(eventIds(r)).toEqual(['e1']);
    expect(judge(qtsRule, enrolledStudent('blended', { qts: qtsHeld('QTLS') })).outcome).toBe('met');
  });

  it('not met with no QTS evidence, or with the reference number unchecked', () => {
    const none = enrolledStudent().filter((e) => e.type !== 'QtsEvidenceRecorded');
    expect(judge(qtsRule, none)).toMatchObject({ outcome: 'not-met', events: [] });
    expect(
      judge(qtsRule, enrolledStudent('blended', { qts: qtsHeld('QTS', { trnChecked: false }) })),
    ).toMatchObject({
      outcome: 'not-met',
      outstanding: ['Check the 7-digit teacher reference number'],
    });
  });

  it('fallback without QTS where the programme offers a certificate instead (seed 004 Q9)', () => {
    const r = judge(qtsRule, noQts('blended'));
    expect(r).toMatchObject({
      outcome: 'fallback',
      figures: {
        status: 'none',
        fallbackTitle: 'Postgraduate Certificate in Education (Special Needs and Inclusion)',
      },
    });
    const everythingElse = [
      ...eligibleStudent('blended').filter((e) => e.type !== 'QtsEvidenceRecorded'),
      qtsHeld('none'),
    ];
    const decision = decisionOn(everythingElse, '2024-08-01');
    expect(decision).toMatchObject({ outcome: 'fallback-certificate', award: 'fallback-certificate' });
    expect(decision.title).toBe('Postgraduate Certificate in Education (Special Needs and Inclusion)');
  });

  it('failed without QTS where the programme offers nothing without it', () => {
    expect(judge(qtsRule, noQts('bpn')).outcome).toBe('failed');
  });

  it('not applicable where the specification does not require QTS for its award (the NPQ: a provider default)', () => {
    const npq = eligibleStudent('npq').map((e) => (e.type === 'QtsEvidenceRecorded' ? qtsHeld('none') : e));
    expect(judge(qtsRule, npq, '2025-09-01')).toMatchObject({ outcome: 'not-applicable' });
    expect(decisionOn(npq, '2025-09-01').outcome).toBe('awarded');
  });
});
