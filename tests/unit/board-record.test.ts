import { describe, expect, it } from 'vitest';
import { creditLedger } from '../../src/domain/credits.ts';
import { resubmissionDeadline } from '../../src/domain/rules/deadlines.ts';
import { creditsRule, outcomesRule } from '../../src/domain/rules/index.ts';
import { fold, type Given, reference } from '../support/given-when-then.ts';
import { eventIds, judge } from '../support/judge.ts';
import {
  enrolledStudent,
  facilitatedDays,
  marked,
  OUTCOMES,
  outcomesSignedOff,
  passed,
  ratified,
  submitted,
} from '../support/student-events.ts';

// What a board's outcomes and mitigating-circumstances decisions do to the record (src/domain/record/
// boards.ts) and to the credits (src/domain/credits.ts): a deferral's attempt counts in full and is not
// counted against the resubmissions allowed; a referral is capped; a fail ends the module; an accepted
// extension is kept where the time-limit rules read it, citing the board's decision.

const spec = reference.specification('blended-3module', 1);
const m1 = (events: Given[]) => creditLedger(fold(events), spec).modules.find((m) => m.moduleCode === 'M1')!;

const failed = [
  ...enrolledStudent(),
  ...passed(['M2', 'M3']),
  submitted('M1'),
  marked('M1', 42, 'mark-M1'),
  ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }], '2024-07-12'),
];
const claim: Given = {
  eventId: 'mc-submitted',
  type: 'MitigatingCircumstancesSubmitted',
  data: {
    claimId: 'mc-1',
    submittedOn: '2024-06-20',
    submittedBy: { id: 'tutor-1' },
    circumstances: 'Hospital admission in the week the assignment was due',
    evidence: [{ kind: 'medical-note', reference: 'mc/letter.pdf' }],
    affects: [{ kind: 'module', moduleCode: 'M1' }],
    requested: 'deferral',
  },
};
const accepted: Given = {
  eventId: 'mc-decided',
  type: 'MitigatingCircumstancesDecided',
  data: {
    claimId: 'mc-1',
    examBoardId: 'board-1',
    decidedOn: '2024-07-12',
    decision: 'accepted',
    remedy: { kind: 'deferral', moduleCode: 'M1', attempt: 1, deadline: '2024-10-31' },
    reason: 'Evidence accepted',
    decidedBy: { id: 'registry-1' },
  },
};
const outcome = (
  outcome: 'refer' | 'defer' | 'fail',
  attempt = 1,
  more: { capAt?: number | null; claim?: string; eventId?: string } = {},
): Given => ({
  eventId: more.eventId ?? `board-${outcome}-${attempt}`,
  type: 'BoardOutcomeRecorded',
  data: {
    examBoardId: 'board-1',
    boardDate: '2024-07-12',
    moduleCode: 'M1',
    attempt,
    outcome,
    externalExaminers: ['examiner-1'],
    nextAttempt:
      outcome === 'fail' ? null : { attempt: attempt + 1, capAt: more.capAt ?? null, deadline: '2024-10-31' },
    mitigatingClaimId: more.claim ?? null,
  },
});
const deferred = [...failed, claim, accepted, outcome('defer', 1, { claim: 'mc-1' })];
const secondSit = (mark: number) => [
  submitted('M1', '2024-10-01', 2),
  marked('M1', mark, 'mark-M1-2', 2),
  ratified([{ moduleCode: 'M1', mark, head: 'mark-M1-2', attempt: 2 }], '2024-11-15', 'board-2'),
];

describe('exam-board outcomes on the record and the credits', () => {
  it('keeps each outcome and claim, and marks the deferred sit as given by the claim', () => {
    const r = fold(deferred);
    expect(r.boardOutcomes.map((b) => [b.moduleCode, b.attempt, b.outcome, b.mitigatingClaimId])).toEqual([
      ['M1', 1, 'defer', 'mc-1'],
    ]);
    expect(r.mitigatingCircumstances['mc-1']!.decision).toMatchObject({
      decision: 'accepted',
      examBoardId: 'board-1',
    });
    const [first, second] = r.modules.M1!;
    expect(first!.board).toMatchObject({ outcome: 'defer', examBoardId: 'board-1' });
    expect(second).toMatchObject({ attempt: 2, capAt: null, deadline: '2024-10-31' });
    expect(second!.deferral!.claim!.eventId).toBe('mc-decided');
  });

  it('counts a deferred sit in full, and not against the resubmissions allowed', () => {
    const standing = m1([...deferred, ...secondSit(68)]);
    expect(standing).toMatchObject({ status: 'passed', attemptsAllowed: 3, creditsEarned: 20 });
    expect(standing.attempts[1]).toMatchObject({ mark: 68, effectiveMark: 68, cappedAt: null });
    // failed at the deferred sit, a resubmission is still available (the one the programme allows)
    expect(m1([...deferred, ...secondSit(40)]).status).toBe('resubmission-available');
  });

  it('caps a referral at the pass mark and counts it against those allowed', () => {
    const referred = [...failed, outcome('refer', 1, { capAt: 50 })];
    const standing = m1([...referred, ...secondSit(68)]);
    expect(standing).toMatchObject({ status: 'passed', attemptsAllowed: 2 });
    expect(standing.attempts[1]).toMatchObject({ mark: 68, effectiveMark: 50, cappedAt: 50 });
    expect(m1([...referred, ...secondSit(40)]).status).toBe('failed');
  });

  it('ends the module at a fail, whatever attempts were left', () => {
    expect(m1(failed).status).toBe('resubmission-available');
    expect(m1([...failed, outcome('fail')])).toMatchObject({ status: 'failed', creditsEarned: 0 });
  });

  it("the credits rule cites the claim's decision and the deferral it gave", () => {
    const r = judge(creditsRule, [...deferred, ...secondSit(68)], '2024-12-01');
    expect(r.outcome).toBe('met');
    expect(eventIds(r)).toEqual(expect.arrayContaining(['mc-decided', 'board-defer-1', 'mark-M1-2']));
  });

  it('keeps an accepted extension where the time-limit rules read it, naming the decision', () => {
    const extended: Given = {
      eventId: 'mc-extension',
      type: 'MitigatingCircumstancesDecided',
      data: {
        ...(accepted.data as object),
        remedy: { kind: 'extension', timeLimit: 'outcomes', newDeadline: '2025-03-31' },
      } as never,
    };
    const r = fold([...failed, claim, extended]);
    expect(r.extensions.outcomes).toMatchObject({
      newDeadline: '2025-03-31',
      ref: { eventId: 'mc-extension' },
    });
    expect(r.extensions.outcomes!.reason).toMatch(
      /mitigating circumstances claim mc-1 accepted at exam board board-1/,
    );
  });

  it("the outcomes rule reads an accepted claim's extension and cites the board's decision", () => {
    // BPN (seed 000): the outcomes within 18 months of the first facilitated day (2024-01-10 -> 2025-07-10)
    const late = [
      ...enrolledStudent('bpn'),
      ...facilitatedDays(6),
      ...outcomesSignedOff(OUTCOMES.national, '2025-08-01'),
    ];
    expect(judge(outcomesRule, late, '2025-09-01').outcome).toBe('lapsed');
    const limitClaim: Given = {
      ...claim,
      data: { ...(claim.data as object), affects: [{ kind: 'time-limit', timeLimit: 'outcomes' }] } as never,
    };
    const extended: Given = {
      eventId: 'mc-outcomes',
      type: 'MitigatingCircumstancesDecided',
      data: {
        ...(accepted.data as object),
        remedy: { kind: 'extension', timeLimit: 'outcomes', newDeadline: '2025-09-30' },
      } as never,
    };
    const r = judge(outcomesRule, [...late, limitClaim, extended], '2025-09-01');
    expect(r).toMatchObject({ outcome: 'met', figures: { deadline: '2025-09-30', deadlineExtended: true } });
    expect(eventIds(r)).toContain('mc-outcomes');
  });

  it("extends a permitted resubmission's own deadline, naming the decision", () => {
    const moved: Given = {
      eventId: 'mc-moved',
      type: 'MitigatingCircumstancesDecided',
      data: {
        ...(accepted.data as object),
        remedy: { kind: 'resubmission-extension', moduleCode: 'M1', attempt: 2, newDeadline: '2024-12-31' },
      } as never,
    };
    const record = fold([...failed, outcome('refer', 1, { capAt: 50 }), claim, moved]);
    expect(resubmissionDeadline(record, 'M1', 2, '2024-11-01')).toMatchObject({
      deadline: '2024-12-31',
      extended: true,
      events: [expect.objectContaining({ eventId: 'mc-moved' })],
    });
  });
});
