import { refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';
import { requireOutcome } from './guards.ts';

// Learning-outcome evidence and sign-off, each against the framework version the student enrolled on.

export const outcomeHandlers = {
  submitOutcomeEvidence(r, d, ctx) {
    const e = requireOutcome(r, ctx, d.outcomeCode);
    return one(
      {
        type: 'OutcomeEvidenceSubmitted',
        data: { ...d, frameworkId: e.frameworkId, frameworkVersion: e.frameworkVersion },
      },
      d.submittedOn,
    );
  },
  signOffOutcome(r, d, ctx) {
    if (ctx.actor.role !== 'tutor')
      throw refused(
        'not_an_assessor',
        `only an assessor (tutor) may sign off an outcome; ${ctx.actor.id} is ${ctx.actor.role}`,
      );
    const e = requireOutcome(r, ctx, d.outcomeCode);
    for (const id of d.evidenceEventIds)
      if (r.evidenceEvents.get(id) !== d.outcomeCode)
        throw refused(
          'evidence_not_found',
          `event ${id} is not evidence for ${d.outcomeCode} in this record`,
          { eventId: id },
          'evidenceEventIds',
        );
    const cited = r.outcomes[d.outcomeCode]!.evidence.filter((e) => d.evidenceEventIds.includes(e.eventId));
    const latest = cited
      .map((e) => e.submittedOn)
      .sort()
      .at(-1)!;
    if (d.signedOffOn < latest)
      throw refused(
        'sign_off_before_evidence',
        `the sign-off is dated ${d.signedOffOn}, before the evidence it cites (submitted ${latest})`,
        { evidenceSubmittedOn: latest },
        'signedOffOn',
      );
    if (r.outcomes[d.outcomeCode]?.signOff)
      throw refused('already_signed_off', `${d.outcomeCode} is already signed off`);
    return one(
      {
        type: 'OutcomeSignedOff',
        data: {
          outcomeCode: d.outcomeCode,
          frameworkId: e.frameworkId,
          frameworkVersion: e.frameworkVersion,
          evidenceEventIds: d.evidenceEventIds,
          assessor: { id: ctx.actor.id },
          signedOffOn: d.signedOffOn,
        },
      },
      d.signedOffOn,
    );
  },
  revokeSignOff(r, d) {
    const code = r.signOffEvents.get(d.signOffEventId);
    if (!code || r.outcomes[code]?.signOff?.ref.eventId !== d.signOffEventId)
      throw refused(
        'sign_off_not_found',
        `event ${d.signOffEventId} is not a sign-off that stands in this record`,
      );
    return one({ type: 'OutcomeSignOffRevoked', data: { ...d, outcomeCode: code } }, d.revokedOn);
  },
} satisfies Partial<Handlers>;
