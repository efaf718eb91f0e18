import { describe, expect, it } from 'vitest';
import { enrolmentRule } from '../../../src/domain/rules/index.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent } from '../../support/student-events.ts';

describe('rule: enrolled on a programme specification, never not-applicable', () => {
  it('met once enrolled, with the cohort, specification version and date', () => {
    const r = judge(enrolmentRule, enrolledStudent('bpn', { enrolledOn: '2024-01-15' }));
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { cohortId: 'c1', programmeId: 'bpn-bathspa', specVersion: 1, enrolledOn: '2024-01-15' },
    });
    expect(eventIds(r)).toEqual(['enrolment']);
  });

  it('not met on an application with an offer but no enrolment: an application is not a place', () => {
    const r = judge(enrolmentRule, enrolledStudent().slice(0, -1), '2024-08-01', 'blended');
    expect(r).toMatchObject({ outcome: 'not-met', outstanding: ['Enrol the student on a cohort'] });
    expect(eventIds(r)).toEqual(['e0']); // the application
  });
});
