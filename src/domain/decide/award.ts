import { refused } from '../../errors.ts';
import { decideAward } from '../rules/index.ts';
import { type StudentRecord, standingAward } from '../student-record.ts';
import { type Handlers, one } from './context.ts';
import { heldBoard, specOf } from './guards.ts';

// The exam board confers the award on the decision as it stands; a conferral records where in the log
// it was decided and the decision's digest, so it can be reproduced.

function requireStandingAward(r: StudentRecord, awardEventId: string) {
  const award = r.awards.find((a) => a.ref.eventId === awardEventId);
  if (!award || award.withdrawn) throw refused('award_not_found', `no standing award ${awardEventId}`);
  return award;
}

export const awardHandlers = {
  conferAward(r, d, ctx) {
    const spec = specOf(r, ctx.reference);
    const board = heldBoard(r, ctx, d.examBoardId);
    if (d.conferredOn < board.heldOn)
      throw refused(
        'conferral_before_board',
        `the conferral is dated ${d.conferredOn}, before exam board ${d.examBoardId} was held (${board.heldOn})`,
        { heldOn: board.heldOn },
        'conferredOn',
      );
    if (standingAward(r))
      throw refused('award_already_conferred', 'an award already stands for this student');
    const framework = ctx.reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
    const decision = decideAward(r, spec, framework, d.conferredOn);
    if (!decision.award)
      throw refused('not_eligible', `the decision on ${d.conferredOn}: ${decision.summary}`, {
        outcome: decision.outcome,
        outstanding: decision.outstanding,
      });
    return one(
      {
        type: 'AwardConferred',
        data: {
          award: decision.award,
          title: decision.title!,
          awards: decision.awards,
          examBoardId: d.examBoardId,
          conferredOn: d.conferredOn,
          decidedAt: {
            position: r.lastPosition.toString(),
            streamRevision: r.revision.toString(),
            evaluatedOn: d.conferredOn,
          },
          specification: { programmeId: spec.programmeId, version: spec.version },
          decisionDigest: decision.digest,
          duty: { satisfies: decision.duty.satisfies, completedOn: decision.duty.completedOn },
        },
      },
      d.conferredOn,
    );
  },
  withdrawAward(r, d, ctx) {
    requireStandingAward(r, d.awardEventId);
    return one(
      { type: 'AwardDecisionWithdrawn', data: { ...d, authorisedBy: { id: ctx.actor.id } } },
      d.withdrawnOn,
    );
  },
  resolveAwardReview(r, d) {
    requireStandingAward(r, d.awardEventId);
    return one(
      {
        type: 'AwardReviewResolved',
        data: {
          awardEventId: d.awardEventId,
          resolution: 'award-stands',
          note: d.note,
          resolvedOn: d.resolvedOn,
        },
      },
      d.resolvedOn,
    );
  },
} satisfies Partial<Handlers>;
