import { describe, expect, it } from 'vitest';
import { CreditLedgerSchema, DecisionSchema, RuleResultSchema } from '../../../src/domain/rules/schema.ts';
import type { Given } from '../../support/given-when-then.ts';
import { decisionOn } from '../../support/judge.ts';
import {
  eligibleStudent,
  enrolledStudent,
  marked,
  type Programme,
  submitted,
} from '../../support/student-events.ts';

// The schemas are the shapes the rules build: parsing a real decision gives it back unchanged (zod drops
// keys a schema does not name, so a field missing from a schema shows here).

const moderated: Given = {
  type: 'MarkModerated',
  data: {
    markEventId: 'mark-M1',
    moduleCode: 'M1',
    attempt: 1,
    moderator: { id: 't2' },
    previousMark: 40,
    moderatedMark: 44,
    moderatedOn: '2024-04-01',
  },
};
const histories: [string, Given[], Programme?][] = [
  ...(['blended', 'bpn', 'sw', 'experienced'] as const).map((p): [string, Given[]] => [
    `eligible ${p}`,
    eligibleStudent(p),
  ]),
  ['a moderated fail', [...enrolledStudent(), submitted('M1'), marked('M1', 40, 'mark-M1'), moderated]],
  ['not enrolled', enrolledStudent().slice(0, 2), 'blended'],
];

describe('the decision schemas', () => {
  it.each(histories)('describe the whole decision for %s', (_name, history, programme) => {
    const d = decisionOn(history, '2024-08-01', programme);
    expect(DecisionSchema.parse(d)).toEqual(d);
    for (const r of d.rules) expect(RuleResultSchema.parse(r)).toEqual(r);
    expect(CreditLedgerSchema.parse(d.credits)).toEqual(d.credits);
  });

  it('refuse a result without its area, naming the field', () => {
    const { area: _area, ...rest } = decisionOn(enrolledStudent(), '2024-08-01').rules[0]!;
    const parsed = RuleResultSchema.safeParse(rest);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['area']);
  });
});
