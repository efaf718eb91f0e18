import type { LedgerEvent } from '../events/index.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import { type Decision, type DecisionOutcome, decideAward } from '../src/domain/rules/index.ts';
import {
  type AwardRecord,
  type EventRef,
  foldRecord,
  refOf,
  type StudentRecord,
  standingAward,
} from '../src/domain/student-record.ts';

// Award eligibility: the decision for a student on a date, with its rule-by-rule explanation, and the
// registry review flags raised when a later event would change an award already conferred. A flag never
// changes the award; registry resolves it (the award stands) or withdraws the award.

export interface ReviewFlag {
  awardEventId: string;
  conferred: AwardRecord['award'];
  /** The first event after the conferral that changed the decision. */
  raisedBy: EventRef;
  decisionNow: DecisionOutcome;
}

export interface EligibilityState {
  flags: Map<string, ReviewFlag>;
}

export const initialEligibility = (): EligibilityState => ({ flags: new Map() });

/**
 * Facts that can only add to what a rule counts (a visit, an attendance, a catch-up, a portfolio, a later
 * deadline) or that no rule reads: they can never turn an award into something else, so they need no
 * re-evaluation of a conferred decision. Corrections, moderations, ratifications, sign-offs (which may be
 * late), submissions (which may be late), revocations and changes of status always get one.
 */
const ONLY_ADDS = new Set([
  'PartnerSchoolVisitRecorded',
  'WebexSessionAttended',
  'WebexAbsenceReported',
  'WebexCatchUpCompleted',
  'PortfolioCompleted',
  'ExtensionGranted',
  'MentorAssigned',
  'NeedsAnalysisCompleted',
  'OutcomeEvidenceSubmitted',
]);

const AWARD_EVENTS = new Set([
  'AwardConferred',
  'AwardDecisionWithdrawn',
  'AwardReviewResolved',
  'PersonalDataErased',
]);

/** The specification a record is judged against: its enrolment's, else the latest for its application. */
export function specFor(record: StudentRecord, reference: ReferenceData) {
  if (record.enrolment)
    return reference.findSpecification(record.enrolment.programmeId, record.enrolment.specVersion);
  return record.application ? reference.latestSpecification(record.application.programmeId) : undefined;
}

export function decisionFor(record: StudentRecord, reference: ReferenceData, on: string): Decision | null {
  const spec = specFor(record, reference);
  if (!spec) return null;
  const framework = reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
  return decideAward(record, spec, framework, on);
}

/** Applied after the student projection has folded the event into `record`. */
export function applyToEligibility(
  state: EligibilityState,
  record: StudentRecord,
  e: LedgerEvent,
  reference: ReferenceData,
): void {
  if (e.type === 'AwardReviewResolved' || e.type === 'AwardDecisionWithdrawn') {
    if (state.flags.get(record.streamId)?.awardEventId === e.data.awardEventId)
      state.flags.delete(record.streamId);
    return;
  }
  if (AWARD_EVENTS.has(e.type) || ONLY_ADDS.has(e.type)) return;
  const award = standingAward(record);
  if (!award || award.reviewResolved || state.flags.has(record.streamId)) return;
  // Judge on the date the award was decided, so the passing of time alone never raises a flag.
  const decision = decisionFor(record, reference, award.decidedAt.evaluatedOn);
  if (decision && decision.award !== award.award) {
    state.flags.set(record.streamId, {
      awardEventId: award.ref.eventId,
      conferred: award.award,
      raisedBy: refOf(e),
      decisionNow: decision.outcome,
    });
  }
}

export interface Reproduction {
  awardEventId: string;
  reproduced: boolean;
  recordedDigest: string;
  recomputedDigest: string;
  decidedAt: { position: string; streamRevision: string; evaluatedOn: string };
  decision: Decision;
}

/** Recomputes a conferred decision from the student's events up to the position it was decided at. */
export function reproduceAward(
  streamId: string,
  award: AwardRecord,
  streamEvents: LedgerEvent[],
  reference: ReferenceData,
): Reproduction {
  const upTo = streamEvents.filter((e) => e.position <= award.decidedAt.position);
  const record = foldRecord(streamId, upTo);
  const spec = reference.specification(award.specification.programmeId, award.specification.version);
  const framework = reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
  const decision = decideAward(record, spec, framework, award.decidedAt.evaluatedOn);
  return {
    awardEventId: award.ref.eventId,
    reproduced: decision.digest === award.decisionDigest,
    recordedDigest: award.decisionDigest,
    recomputedDigest: decision.digest,
    decidedAt: {
      position: award.decidedAt.position.toString(),
      streamRevision: award.decidedAt.streamRevision.toString(),
      evaluatedOn: award.decidedAt.evaluatedOn,
    },
    decision,
  };
}
