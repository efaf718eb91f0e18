import { describe, expect, it } from 'vitest';
import { aplCapRule } from '../../../src/domain/rules/index.ts';
import type { Given } from '../../support/given-when-then.ts';
import { eventIds, judge } from '../../support/judge.ts';
import { enrolledStudent } from '../../support/student-events.ts';

// seed 003: APL/RPL may replace at most one module. The rule is never not met: approvals over the cap
// (a log the decider did not write) simply do not count.

const claim = (claimId: string, moduleCode: string): Given => ({
  eventId: `claim-${claimId}`,
  type: 'AplClaimSubmitted',
  data: { claimId, moduleCode, route: 'RPL', submittedOn: '2024-01-10', evidenceSummary: 'Portfolio' },
});
const approved = (claimId: string, moduleCode: string): Given => ({
  eventId: `decision-${claimId}`,
  type: 'AplClaimDecided',
  data: {
    claimId,
    moduleCode,
    decision: 'approved',
    decidedOn: '2024-01-20',
    decidedBy: { id: 'registry-1' },
    reason: 'Matches the outcomes',
  },
});

describe('rule: APL/RPL within the cap', () => {
  it('not applicable with no claim', () => {
    expect(judge(aplCapRule, enrolledStudent())).toMatchObject({
      outcome: 'not-applicable',
      figures: { approved: 0, counted: 0, cap: 1 },
    });
  });

  it('met with one module replaced, naming the claim and its decision', () => {
    const r = judge(aplCapRule, [...enrolledStudent(), claim('a1', 'M1'), approved('a1', 'M1')]);
    expect(r).toMatchObject({ outcome: 'met', figures: { approved: 1, counted: 1, cap: 1 } });
    expect(eventIds(r)).toEqual(['claim-a1', 'decision-a1']);
  });

  it('met with a claim undecided (nothing counted yet)', () => {
    expect(judge(aplCapRule, [...enrolledStudent(), claim('a1', 'M1')])).toMatchObject({
      outcome: 'met',
      figures: { approved: 0, counted: 0 },
    });
  });

  it('counts only the cap when more were approved', () => {
    const r = judge(aplCapRule, [
      ...enrolledStudent(),
      claim('a1', 'M1'),
      claim('a2', 'M2'),
      approved('a1', 'M1'),
      approved('a2', 'M2'),
    ]);
    expect(r).toMatchObject({ outcome: 'met', figures: { approved: 2, counted: 1, cap: 1 } });
    expect(r.reason).toContain('only 1 counted');
  });
});
