import type { Evolvers } from './evolver.ts';
import type { OutcomeProgress, StudentRecord } from './types.ts';

// Evidence, sign-offs and their revocations, per learning outcome.

function outcomeOf(r: StudentRecord, code: string): OutcomeProgress {
  let o = r.outcomes[code];
  if (!o) {
    o = { evidence: [], signOff: null, revocations: [] };
    r.outcomes[code] = o;
  }
  return o;
}

export const outcomeEvolvers = {
  OutcomeEvidenceSubmitted(r, e, ref) {
    outcomeOf(r, e.data.outcomeCode).evidence.push({
      eventId: e.eventId,
      submittedOn: e.data.submittedOn,
      ref,
    });
    r.evidenceEvents.set(e.eventId, e.data.outcomeCode);
  },
  OutcomeSignedOff(r, e, ref) {
    const d = e.data;
    outcomeOf(r, d.outcomeCode).signOff = {
      signedOffOn: d.signedOffOn,
      assessorId: d.assessor.id,
      frameworkVersion: d.frameworkVersion,
      ref,
    };
    r.signOffEvents.set(e.eventId, d.outcomeCode);
  },
  OutcomeSignOffRevoked(r, { data: d }, ref) {
    const o = outcomeOf(r, d.outcomeCode);
    if (o.signOff?.ref.eventId === d.signOffEventId) o.signOff = null;
    o.revocations.push({ reason: d.reason, revokedOn: d.revokedOn, ref });
  },
} satisfies Partial<Evolvers>;
