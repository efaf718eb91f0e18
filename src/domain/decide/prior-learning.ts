import { refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';
import { requireModule, specOf } from './guards.ts';

// seed 003: APL/RPL may replace at most one module, by a portfolio of evidence against its outcomes.

export const priorLearningHandlers = {
  submitAplClaim(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const module = requireModule(spec, d.moduleCode);
    if (r.aplClaims[d.claimId]) throw refused('claim_exists', `claim ${d.claimId} already exists`);
    if (!module.aplEligible)
      throw refused(
        'module_not_apl_eligible',
        `${d.moduleCode} cannot be replaced by APL/RPL on this programme`,
      );
    const live = Object.values(r.aplClaims).filter((c) => c.decision?.decision !== 'rejected');
    // seed 003: APL/RPL may replace at most one of the three modules
    if (live.length >= spec.priorLearning.maxModules)
      throw refused(
        'apl_cap_reached',
        `APL/RPL may replace at most ${spec.priorLearning.maxModules} module(s) on this programme (${spec.priorLearning.source}); claim ${live[0]?.claimId ?? '-'} already stands`,
        { cap: spec.priorLearning.maxModules },
      );
    return one({ type: 'AplClaimSubmitted', data: d }, d.submittedOn);
  },
  decideAplClaim(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const claim = r.aplClaims[d.claimId];
    if (!claim) throw refused('unknown_claim', `there is no APL/RPL claim ${d.claimId}`);
    if (claim.decision)
      throw refused('claim_already_decided', `claim ${d.claimId} was already ${claim.decision.decision}`);
    const approved = Object.values(r.aplClaims).filter((c) => c.decision?.decision === 'approved').length;
    if (d.decision === 'approved' && approved >= spec.priorLearning.maxModules)
      throw refused(
        'apl_cap_reached',
        `approving would exceed the cap of ${spec.priorLearning.maxModules} module(s)`,
      );
    return one(
      {
        type: 'AplClaimDecided',
        data: { ...d, moduleCode: claim.moduleCode, decidedBy: { id: ctx.actor.id } },
      },
      d.decidedOn,
    );
  },
} satisfies Partial<Handlers>;
