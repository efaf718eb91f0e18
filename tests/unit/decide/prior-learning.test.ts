import { describe, it } from 'vitest';
import { given, registry } from '../../support/given-when-then.ts';
import { applied, enrolledStudent, type Fact } from '../../support/student-events.ts';

// seed 003: APL/RPL may replace at most one module.

const claim = (claimId = 'a1', moduleCode = 'M1'): Fact<'AplClaimSubmitted'> => ({
  type: 'AplClaimSubmitted',
  data: {
    claimId,
    moduleCode,
    route: 'APL',
    submittedOn: '2024-01-10',
    evidenceSummary: 'PGCert in Inclusion',
  },
});
const decision = (
  decision: 'approved' | 'rejected',
  claimId = 'a1',
  moduleCode = 'M1',
): Fact<'AplClaimDecided'> => ({
  type: 'AplClaimDecided',
  data: {
    claimId,
    moduleCode,
    decision,
    decidedOn: '2024-01-20',
    decidedBy: { id: 'registry-1' },
    reason: 'Checked against the module outcomes',
  },
});
const decide = (d: 'approved' | 'rejected', claimId = 'a1') =>
  ({
    name: 'decideAplClaim',
    data: { claimId, decision: d, decidedOn: '2024-01-20', reason: 'Checked against the module outcomes' },
  }) as const;

describe('prior learning: given / when / then', () => {
  it('records a claim for one module', () => {
    given(enrolledStudent())
      .when({ name: 'submitAplClaim', data: claim().data })
      .thenEvents([claim()], '2024-01-10');
  });

  it('refuses a claim twice, for a module that cannot be replaced, over the cap, or before enrolment', () => {
    given([...enrolledStudent(), claim()])
      .when({ name: 'submitAplClaim', data: claim().data })
      .thenRefused('claim_exists');
    given(enrolledStudent('bpn'))
      .when({ name: 'submitAplClaim', data: claim('a1', 'RA1').data })
      .thenRefused('module_not_apl_eligible');
    given([...enrolledStudent(), claim()])
      .when({ name: 'submitAplClaim', data: claim('a2', 'M2').data })
      .thenRefused('apl_cap_reached', { cap: 1 });
    given(enrolledStudent())
      .when({ name: 'submitAplClaim', data: claim('a1', 'Z1').data })
      .thenRefused('module_not_on_programme');
    given([applied()]).when({ name: 'submitAplClaim', data: claim().data }).thenRefused('not_enrolled');
  });

  it('a rejected claim no longer counts towards the cap', () => {
    given([...enrolledStudent(), claim(), decision('rejected')])
      .when({ name: 'submitAplClaim', data: claim('a2', 'M2').data })
      .thenEvents([claim('a2', 'M2')]);
  });

  it('decides a claim, naming its module and the registry officer', () => {
    given([...enrolledStudent(), claim()])
      .when(decide('approved'), registry)
      .thenEvents([decision('approved')], '2024-01-20');
    given([...enrolledStudent(), claim()])
      .when(decide('rejected'), registry)
      .thenEvents([decision('rejected')]);
  });

  it('refuses a decision on no claim, a second decision, or an approval over the cap', () => {
    given(enrolledStudent()).when(decide('approved'), registry).thenRefused('unknown_claim');
    given([...enrolledStudent(), claim(), decision('rejected')])
      .when(decide('approved'), registry)
      .thenRefused('claim_already_decided');
    // a log with two claims (one written before the cap was enforced): the second approval is refused
    given([...enrolledStudent(), claim(), claim('a2', 'M2'), decision('approved')])
      .when(decide('approved', 'a2'), registry)
      .thenRefused('apl_cap_reached');
    given([...enrolledStudent(), claim(), claim('a2', 'M2'), decision('approved')])
      .when(decide('rejected', 'a2'), registry)
      .thenEvents([decision('rejected', 'a2', 'M2')]);
  });
});
