import { describe, expect, it } from 'vitest';
import { programmeTimeLimitRule } from '../../../src/domain/rules/index.ts';
import { type Given, reference } from '../../support/given-when-then.ts';
import { decisionOn, eventIds, judge } from '../../support/judge.ts';
import { eligibleStudent } from '../../support/student-events.ts';

// A limit on the whole programme, where a specification sets one (none of the seeds does: a provider's
// own programme, here the South West Consortium's with a one-year limit added as data).

const limited = structuredClone(reference.specification('sw-consortium', 1));
limited.programmeId = 'sw-with-a-programme-limit';
limited.timeLimits.programme = {
  from: 'enrolment',
  months: 12,
  terms: null,
  lapses: true,
  source: 'provider default: a one-year programme (a test specification)',
  providerDefault: true,
};
reference.addSpecification(limited);

/** The eligible South West student, enrolled on the limited specification. */
const onLimited = (history: Given[]): Given[] =>
  history.map((e) =>
    e.type === 'StudentEnrolled' || e.type === 'ApplicationSubmitted'
      ? ({ ...e, data: { ...e.data, programmeId: limited.programmeId } } as Given)
      : e,
  );

describe('rule: the whole programme within its time limit', () => {
  it('is left out of decisions on a specification without one', () => {
    expect(decisionOn(eligibleStudent('sw'), '2024-08-01').rules.map((r) => r.rule)).not.toContain(
      programmeTimeLimitRule.id,
    );
  });

  it('met when every requirement is met within the limit; the last rule, it weighs them all', () => {
    const r = judge(programmeTimeLimitRule, onLimited(eligibleStudent('sw')), '2025-03-01');
    expect(r).toMatchObject({
      outcome: 'met',
      figures: { deadline: '2025-01-08', completedOn: '2024-07-12', lapses: true },
    });
    expect(decisionOn(onLimited(eligibleStudent('sw')), '2025-03-01').rules.at(-1)!.rule).toBe(
      programmeTimeLimitRule.id,
    );
  });

  it('lapsed when the limit passes with requirements outstanding; an extension moves it', () => {
    const unfinished = onLimited(eligibleStudent('sw')).filter((e) => e.type !== 'MarksRatified');
    expect(judge(programmeTimeLimitRule, unfinished, '2025-01-08').outcome).toBe('met');
    expect(judge(programmeTimeLimitRule, unfinished, '2025-01-09').outcome).toBe('lapsed');
    const extension: Given = {
      eventId: 'extension',
      type: 'ExtensionGranted',
      data: {
        timeLimit: 'programme',
        newDeadline: '2025-06-30',
        reason: 'Illness',
        authorisedBy: { id: 'r' },
      },
    };
    const r = judge(programmeTimeLimitRule, [...unfinished, extension], '2025-01-09');
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2025-06-30', extended: true } });
    expect(eventIds(r)).toEqual(['extension']);
  });
});
