import type { Evolvers } from './evolver.ts';

// Conferrals, and what later happened to each: withdrawn, or reviewed and kept.

export const awardEvolvers = {
  AwardConferred(r, { data: d }, ref) {
    r.awards.push({
      ref,
      award: d.award,
      title: d.title,
      awards: d.awards,
      examBoardId: d.examBoardId,
      conferredOn: d.conferredOn,
      decidedAt: {
        position: BigInt(d.decidedAt.position),
        streamRevision: BigInt(d.decidedAt.streamRevision),
        evaluatedOn: d.decidedAt.evaluatedOn,
      },
      specification: d.specification,
      decisionDigest: d.decisionDigest,
      duty: d.duty,
      withdrawn: null,
      reviewResolved: null,
    });
  },
  AwardDecisionWithdrawn(r, { data: d }, ref) {
    const award = r.awards.find((a) => a.ref.eventId === d.awardEventId);
    if (award) award.withdrawn = { reason: d.reason, ref };
  },
  AwardReviewResolved(r, { data: d }, ref) {
    const award = r.awards.find((a) => a.ref.eventId === d.awardEventId);
    if (award) award.reviewResolved = { resolution: d.resolution, ref };
  },
} satisfies Partial<Evolvers>;
