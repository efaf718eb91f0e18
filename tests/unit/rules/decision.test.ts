import { describe, expect, it } from 'vitest';
import { rules } from '../../../src/domain/rules/index.ts';
import { type Given, reference } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import { eligibleStudent, enrolledStudent, type Programme, vivaHeld } from '../../support/student-events.ts';

// The decision is assembled from the rules' results and nothing else.

const programmes: Programme[] = ['blended', 'bpn', 'sw', 'experienced'];
const withdrawn: Given = { type: 'StudentWithdrawn', data: { on: '2024-07-01', reason: 'Left the post' } };

describe('the decision', () => {
  it.each(programmes)('is the National Award when every rule of the %s programme is met', (programme) => {
    const d = decisionOn(eligibleStudent(programme), '2024-08-01');
    expect(d.rules.filter((r) => r.outcome !== 'met' && r.outcome !== 'not-applicable')).toEqual([]);
    expect(d).toMatchObject({
      outcome: 'awarded',
      award: 'qualification',
      title: 'National Award for SEN Coordination',
      awards: ['National Award for SEN Coordination'],
      summary: 'Eligible for the National Award for SEN Coordination.',
      outstanding: [],
    });
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
    const experienced = enrolledStudent('experienced');
    expect(decisionOn(experienced, '2025-02-01').outcome).toBe('lapsed'); // outcomes not signed off in 12 months
    const failed = decisionOn([...experienced, vivaHeld('fail')], '2025-02-01');
    expect(failed.outcome).toBe('failed');
    // the summary gives every decisive reason, the lapsed one too
    expect(failed.summary).toMatch(
      /^Failed: The time limit of 2025-01-08 has passed .* Viva failed on 2024-06-20\.$/,
    );
    expect(decisionOn([...experienced, vivaHeld('fail'), withdrawn], '2025-02-01').outcome).toBe('withdrawn');
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
