import type { Evolvers } from './evolver.ts';

export const priorLearningEvolvers = {
  AplClaimSubmitted(r, { data: d }, ref) {
    r.aplClaims[d.claimId] = {
      claimId: d.claimId,
      moduleCode: d.moduleCode,
      route: d.route,
      submitted: ref,
      decision: null,
    };
  },
  AplClaimDecided(r, { data: d }, ref) {
    const claim = r.aplClaims[d.claimId];
    if (claim) claim.decision = { decision: d.decision, decidedOn: d.decidedOn, reason: d.reason, ref };
  },
} satisfies Partial<Evolvers>;
