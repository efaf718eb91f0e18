import { describe, expect, it } from 'vitest';
import { rules } from '../../../src/domain/rules/index.ts';
import { type Given, reference } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import {
  eligibleStudent,
  enrolledStudent,
  type Programme,
  qtsHeld,
  vivaHeld,
} from '../../support/student-events.ts';

// The decision is assembled from the rules' results and nothing else.

const programmes: Programme[] = ['blended', 'bpn', 'sw', 'experienced'];
const withdrawn: Given = { type: 'StudentWithdrawn', data: { on: '2024-07-01', reason: 'Left the post' } };

describe('the decision', () => {
  it.each(programmes)('is the National Award when every rule of the %s programme is met', (programme) => {
    const d = decisionOn(eligibleStudent(programme), '2024-08-01');
    expect(d.rules.filter((r) => r.outcome !== 'met' && r.outcome !== 'not-applicable')).toEqual([]);
    // with every dual award the specification names (seeds 000, 001, 004 Q9: the PG Certificate too)
    const dual = reference.specification(d.specification.programmeId, 1).awards.dual.map((a) => a.title);
    expect(d).toMatchObject({
      outcome: 'awarded',
      award: 'qualification',
      title: 'National Award for SEN Coordination',
      awards: ['National Award for SEN Coordination', ...dual],
      summary: `Eligible for the ${['National Award for SEN Coordination', ...dual].join(' and the ')}.`,
      outstanding: [],
    });
    expect(dual.length).toBe(programme === 'experienced' ? 0 : 1);
  });

  it('lists every rule the specification calls for, in order, each result with its rule area', () => {
    const d = decisionOn(enrolledStudent(), '2024-08-01');
    const called = rules.filter((r) => r.appliesTo(reference.specification('blended-3module', 1)));
    expect(d.rules.map((r) => [r.rule, r.area])).toEqual(called.map((r) => [r.id, r.area]));
  });

  it('is not yet eligible while anything is outstanding, listing it rule by rule', () => {
    const d = decisionOn(enrolledStudent('sw'), '2024-08-01');
    expect(d.outcome).toBe('not-yet-eligible');
    expect(d.award).toBeNull();
    expect(d.outstanding).toEqual(d.rules.flatMap((r) => r.outstanding));
    expect(d.outstanding).toContain('Attend 6 more facilitated day(s)');
    expect(d.summary).toBe(`Not yet eligible: ${d.outstanding.length} thing(s) outstanding.`);
  });

  it('a failed rule outweighs a lapsed one, and a withdrawal outweighs both', () => {
    // BPN: every outcome within 18 months of the cohort's first face-to-face day (2024-01-08 -> 2025-07-08)
    const bpn = enrolledStudent('bpn');
    expect(decisionOn(bpn, '2025-07-09').outcome).toBe('lapsed');
    const noQts = enrolledStudent('bpn', { qts: qtsHeld('none') }); // no award without QTS on this route
    const failed = decisionOn(noQts, '2025-07-09');
    expect(failed.outcome).toBe('failed');
    // the summary gives every decisive reason, the lapsed one too
    expect(failed.summary).toMatch(/^Failed: No QTS, .* The time limit of 2025-07-08 has passed/);
    expect(decisionOn([...noQts, withdrawn], '2025-07-09').outcome).toBe('withdrawn');
  });

  it('gives the exit award when every credit is earned but the qualification can no longer be (seed 000)', () => {
    const noOutcomes = eligibleStudent('bpn').filter(
      (e) => e.type !== 'OutcomeSignedOff' && e.type !== 'OutcomeEvidenceSubmitted',
    );
    const d = decisionOn(noOutcomes, '2025-07-09');
    expect(d).toMatchObject({
      outcome: 'exit-award',
      award: 'exit-award',
      title: 'Postgraduate Certificate in SEN Coordination',
      awards: ['Postgraduate Certificate in SEN Coordination'],
    });
    expect(d.summary).toMatch(
      /^The National Award for SEN Coordination can no longer be awarded \(The time limit/,
    );
    // not the qualification, so not the duty either
    expect(d.duty.satisfies).toBe('no');
    // while the outcomes can still be signed off, it is only not yet eligible
    expect(decisionOn(noOutcomes, '2025-07-08').outcome).toBe('not-yet-eligible');
    // a specification without an exit award: every credit earned, the viva failed, and nothing given
    const vivaFailed = [
      ...eligibleStudent('experienced').filter((e) => e.type !== 'VivaHeld'),
      vivaHeld('fail'),
    ];
    expect(decisionOn(vivaFailed, '2024-08-01')).toMatchObject({ outcome: 'failed', awards: [] });
  });

  it('the experienced route’s year is its expected length, not a lapse (seed 002)', () => {
    const d = decisionOn(enrolledStudent('experienced'), '2025-02-01');
    expect(d.outcome).toBe('not-yet-eligible');
    expect(d.rules.find((r) => r.rule === 'learning-outcomes')).toMatchObject({
      outcome: 'not-met',
      figures: { deadline: null, expectedBy: '2025-01-08' },
    });
    // the Master's work still has its limit: the year and a further two
    expect(decisionOn([...enrolledStudent('experienced'), vivaHeld('pass')], '2027-01-09').outcome).toBe(
      'lapsed',
    );
  });

  it('has a digest of what was decided and why, unchanged by facts no rule reads', () => {
    const history = eligibleStudent('sw');
    const d = decisionOn(history, '2024-08-01');
    expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
    const mentor: Given = {
      type: 'MentorAssigned',
      data: { mentorRole: 'headteacher', sameSchool: true, assignedOn: '2024-08-01' },
    };
    const later = decisionOn([...history, mentor], '2024-08-01');
    expect(later.asOf.position).toBe(d.asOf.position + 1n);
    expect(later.digest).toBe(d.digest);
    expect(decisionOn(history, '2024-08-02').digest).not.toBe(d.digest); // the day evaluated on is part of it
    const renamed = history.map((e) => (e.eventId === 'enrolment' ? { ...e, eventId: 'enrolment-2' } : e));
    expect(decisionOn(renamed, '2024-08-01').digest).not.toBe(d.digest); // so are the events behind it
  });
});
