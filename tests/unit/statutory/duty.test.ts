import { describe, expect, it } from 'vitest';
import type { Given } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import {
  enrolledStudent,
  facilitatedDays,
  marked,
  OUTCOMES,
  outcomesSignedOff,
  qtsHeld,
  ratified,
  submitted,
} from '../../support/student-events.ts';

// SEND Regulations 2014 reg. 49(7)(a), inserted by SI 2024/535: the National Award counts for a course
// started before 1 September 2024 and completed before 1 September 2027. Completed means the day the last
// requirement was met, never the day of conferral or of evaluation; and the duty never changes the award.

/** A South West Consortium student whose last requirement, the exam board's ratification, is on `boardOn`. */
function finishedOn(
  boardOn: string,
  enrolledOn = '2024-01-08',
  signOffs = outcomesSignedOff(OUTCOMES.national, '2024-06-01'),
): Given[] {
  return [
    ...enrolledStudent('sw', { enrolledOn }),
    ...facilitatedDays(6),
    submitted('SW1'),
    submitted('SW2'),
    marked('SW1', 62, 'mark-SW1'),
    marked('SW2', 58, 'mark-SW2'),
    ...signOffs,
    ratified(
      [
        { moduleCode: 'SW1', mark: 62, head: 'mark-SW1' },
        { moduleCode: 'SW2', mark: 58, head: 'mark-SW2' },
      ],
      boardOn,
    ),
  ];
}

describe('the statutory duty beside the award (reg. 49(7))', () => {
  it('finished in July 2027 and evaluated in October 2027: the National Award, and it satisfies the duty', () => {
    const d = decisionOn(finishedOn('2027-07-15'), '2027-10-20');
    expect(d.outcome).toBe('awarded');
    expect(d.duty).toMatchObject({
      satisfies: 'yes',
      startedOn: '2024-01-08',
      completedOn: '2027-07-15',
      completedBy: 'credits',
      completeBefore: '2027-09-01',
      wouldSatisfy: null,
    });
    // the events behind it: the enrolment (started) and the ratification that completed it
    expect(d.duty.events.map((e) => e.type)).toEqual(['StudentEnrolled', 'MarksRatified']);
  });

  it('the last requirement met is the completion, whichever rule it is', () => {
    const [first, ...others] = OUTCOMES.national;
    const signOffs = [
      ...outcomesSignedOff(others, '2024-06-01'),
      ...outcomesSignedOff([first], '2024-08-20'),
    ];
    const late = finishedOn('2024-07-12', '2024-01-08', signOffs);
    expect(decisionOn(late, '2024-09-01').duty).toMatchObject({
      completedOn: '2024-08-20',
      completedBy: 'learning-outcomes',
    });
  });

  it('completed on 1 September 2027 itself: the award stands, and it does not satisfy the duty', () => {
    const d = decisionOn(finishedOn('2027-09-01'), '2027-09-02');
    expect(d.outcome).toBe('awarded');
    expect(d.duty.satisfies).toBe('no');
    expect(d.duty.wouldSatisfy).toMatch(/National Professional Qualification for Special Educational Needs/);
  });

  it('started on or after 1 September 2024: still the National Award, never failed, and the NPQ is what satisfies', () => {
    const d = decisionOn(finishedOn('2025-07-15', '2024-09-01'), '2025-08-01');
    expect(d.outcome).toBe('awarded');
    expect(d.award).toBe('qualification');
    expect(d.rules.every((r) => r.outcome !== 'failed' && r.outcome !== 'lapsed')).toBe(true);
    expect(d.duty).toMatchObject({ satisfies: 'no', startedOn: '2024-09-01' });
    expect(d.duty.reason).toMatch(/started on 2024-09-01.*before 1 September 2024/);
    expect(d.duty.wouldSatisfy).toMatch(/^the National Professional Qualification .*\(reg\. 49\(7\)\(b\)/);
  });

  it('still studying on 1 September 2027: not lapsed, and it can no longer satisfy the duty', () => {
    const d = decisionOn(enrolledStudent('sw'), '2027-09-01');
    expect(d.outcome).toBe('not-yet-eligible');
    expect(d.duty.satisfies).toBe('no');
    const before = decisionOn(enrolledStudent('sw'), '2027-08-31');
    expect(before.duty).toMatchObject({ satisfies: 'not-yet', completeBefore: '2027-09-01' });
  });

  it('the fallback certificate is not the statutory qualification', () => {
    const noQts = enrolledStudent('blended', { qts: qtsHeld('none') });
    const d = decisionOn(noQts, '2024-08-01');
    expect(d.duty).toMatchObject({ satisfies: 'no', qualification: { kind: 'national-award' } });
  });

  it('a fact that changes nothing the duty reads leaves the award digest alone', () => {
    const a = decisionOn(finishedOn('2027-07-15'), '2027-10-20');
    const b = decisionOn(finishedOn('2027-07-15'), '2027-10-20');
    expect(a.digest).toBe(b.digest);
  });
});
