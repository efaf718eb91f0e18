import type { MitigationRemedy } from '../events/exam-board.ts';
import type { EventDataOf, LedgerEvent } from '../events/index.ts';
import { withoutClearPersonalData } from '../events/registration.ts';
import { type EventRef, refOf } from '../src/domain/student-record.ts';

// A student's full history in order, with each correction linked both ways to what it corrects: a mark's
// chain (marked, moderated, corrected, ratified), a revoked sign-off, a withdrawn award. It is folded on
// read from the student's stream: it needs every event, so holding it for every student would double the
// memory the live projections use, while one stream reads back in well under a millisecond.

export interface AuditEntry {
  ref: EventRef;
  storedVersion: number;
  hash: string;
  summary: string;
  data: unknown;
  /** The event this one corrects, moderates, ratifies, revokes or withdraws. */
  corrects: string[];
  /** Later events that correct, moderate, ratify, revoke or withdraw this one. */
  correctedBy: string[];
}

export interface AuditTrail {
  streamId: string;
  entries: AuditEntry[];
  byId: Map<string, AuditEntry>;
}

export const initialAuditTrail = (streamId: string): AuditTrail => ({
  streamId,
  entries: [],
  byId: new Map(),
});

function targets(e: LedgerEvent): string[] {
  switch (e.type) {
    case 'MarkModerated':
      return [e.data.markEventId];
    case 'MarkCorrected':
      return [e.data.correctsEventId];
    case 'MarksRatified':
      return e.data.marks.map((m) => m.chainHeadEventId);
    case 'OutcomeSignOffRevoked':
      return [e.data.signOffEventId];
    case 'OutcomeSignedOff':
      return e.data.evidenceEventIds;
    case 'AwardDecisionWithdrawn':
    case 'AwardReviewResolved':
      return [e.data.awardEventId];
    default:
      return [];
  }
}

export function describe(e: LedgerEvent): string {
  switch (e.type) {
    case 'ApplicationSubmitted':
      return `Application for ${e.data.programmeId} (${e.data.intake} intake)`;
    case 'QtsEvidenceRecorded':
      return `QTS evidence: ${e.data.status}${e.data.trnChecked ? ', TRN checked' : ''}`;
    case 'SencoRoleConfirmed':
      return `Role confirmed: ${e.data.basis} by ${e.data.confirmedByRole}`;
    case 'SencoAppointmentRecorded':
      return `Appointed SENCO ${e.data.appointedOn ?? '(aspiring)'}, ${e.data.priorSencoMonths} months before`;
    case 'EligibilityAssessed':
      return `Eligibility assessed: ${e.data.eligible ? 'eligible' : 'not eligible'} (${e.data.route})`;
    case 'PlaceOffered':
      return `Place offered on ${e.data.cohortId}`;
    case 'StudentEnrolled':
      return `Enrolled on ${e.data.cohortId}: ${e.data.programmeId} v${e.data.specVersion}`;
    case 'MentorAssigned':
      return `Mentor assigned (${e.data.mentorRole})`;
    case 'NeedsAnalysisCompleted':
      return 'Needs analysis completed';
    case 'WebexSessionAttended':
      return `Attended WebEx ${e.data.sessionId} (${e.data.moduleCode})`;
    case 'WebexAbsenceReported':
      return `Absence from WebEx ${e.data.sessionId} reported: ${e.data.reason}`;
    case 'WebexCatchUpCompleted':
      return `Catch-up for WebEx ${e.data.sessionId} completed`;
    case 'FacilitatedDayAttended':
      return `Attended facilitated day ${e.data.sessionId} (${e.data.mode})`;
    case 'PartnerSchoolVisitRecorded':
      return `Partner-school visit for ${e.data.moduleCode}: ${e.data.hours} h (${e.data.phase})`;
    case 'AssignmentSubmitted':
      return `${e.data.kind === 'plan' ? 'Plan' : 'Assignment'} submitted for ${e.data.moduleCode}, attempt ${e.data.attempt}`;
    case 'AssignmentMarked':
      return `Marked ${e.data.mark} for ${e.data.moduleCode}, attempt ${e.data.attempt}`;
    case 'MarkModerated':
      return `Moderated ${e.data.previousMark} -> ${e.data.moderatedMark} for ${e.data.moduleCode}`;
    case 'MarkCorrected':
      return `Corrected ${e.data.previousMark} -> ${e.data.correctedMark} for ${e.data.moduleCode}: ${e.data.reason}`;
    case 'ResubmissionPermitted':
      return `Resubmission permitted for ${e.data.moduleCode} (attempt ${e.data.attempt}${e.data.capAt !== null ? `, capped at ${e.data.capAt}` : ''}${e.data.deadline ? `, due by ${e.data.deadline}` : ''})`;
    case 'MarksRatified':
      return `Exam board ${e.data.examBoardId} ratified ${e.data.marks.map((m) => `${m.moduleCode} ${m.mark}`).join(', ')}`;
    case 'AplClaimSubmitted':
      return `${e.data.route} claim ${e.data.claimId} for ${e.data.moduleCode}`;
    case 'AplClaimDecided':
      return `${e.data.claimId} ${e.data.decision}: ${e.data.reason}`;
    case 'OutcomeEvidenceSubmitted':
      return `Evidence for ${e.data.outcomeCode}: ${e.data.evidence.reference}`;
    case 'OutcomeSignedOff':
      return `${e.data.outcomeCode} signed off by ${e.data.assessor.id}`;
    case 'OutcomeSignOffRevoked':
      return `${e.data.outcomeCode} sign-off revoked: ${e.data.reason}`;
    case 'PortfolioCompleted':
      return `Portfolio ${e.data.portfolio} completed`;
    case 'VivaHeld':
      return `Viva: ${e.data.outcome}`;
    case 'ExtensionGranted':
      return `Extension of the ${e.data.timeLimit} limit to ${e.data.newDeadline}`;
    case 'StudyInterrupted':
      return `Study interrupted from ${e.data.from}`;
    case 'StudyResumed':
      return `Study resumed on ${e.data.on}`;
    case 'StudentWithdrawn':
      return `Withdrawn on ${e.data.on}: ${e.data.reason}`;
    case 'PersonalDataErased':
      return `Personal data erased (request ${e.data.requestReference})`;
    case 'AwardConferred':
      return `Conferred: ${e.data.title} (board ${e.data.examBoardId})`;
    case 'AwardDecisionWithdrawn':
      return `Award withdrawn: ${e.data.reason}`;
    case 'AwardReviewResolved':
      return `Award review resolved: ${e.data.resolution}`;
    case 'BoardOutcomeRecorded':
      return describeBoardOutcome(e.data);
    case 'MitigatingCircumstancesSubmitted':
      return `Mitigating circumstances claim ${e.data.claimId} submitted (${e.data.requested} requested, ${e.data.evidence.length} piece(s) of evidence): ${e.data.circumstances}`;
    case 'MitigatingCircumstancesDecided':
      return `Exam board ${e.data.examBoardId} ${e.data.decision} mitigating circumstances claim ${e.data.claimId}${e.data.remedy ? ` (${describeRemedy(e.data.remedy)})` : ''}: ${e.data.reason}`;
    default:
      return e.type;
  }
}

const OUTCOME_WORDS = {
  pass: 'passed',
  refer: 'referred',
  defer: 'deferred',
  fail: 'failed',
  withdraw: 'required to withdraw',
} as const;

function describeBoardOutcome(d: EventDataOf<'BoardOutcomeRecorded'>): string {
  const next = d.nextAttempt;
  const then = next
    ? ` (attempt ${next.attempt}${next.capAt !== null ? `, capped at ${next.capAt}` : ', counts in full'}${next.deadline ? `, due by ${next.deadline}` : ''})`
    : '';
  const claim = d.mitigatingClaimId ? ` on mitigating circumstances claim ${d.mitigatingClaimId}` : '';
  return `Exam board ${d.examBoardId}: ${d.moduleCode} attempt ${d.attempt} ${OUTCOME_WORDS[d.outcome]}${then}${claim}; external examiners ${d.externalExaminers.join(', ')}`;
}

function describeRemedy(r: MitigationRemedy): string {
  if (r.kind === 'deferral') return `deferral of ${r.moduleCode} attempt ${r.attempt}`;
  if (r.kind === 'extension') return `the ${r.timeLimit} limit extended to ${r.newDeadline}`;
  return `${r.moduleCode} attempt ${r.attempt} due by ${r.newDeadline}`;
}

export function applyToAuditTrail(trail: AuditTrail, e: LedgerEvent): AuditTrail {
  const entry: AuditEntry = {
    ref: refOf(e),
    storedVersion: e.schemaVersion,
    hash: e.hash,
    summary: describe(e),
    // An application recorded before v2 held the school's name in clear: not shown with the event.
    data: withoutClearPersonalData(e.type, e.data),
    corrects: targets(e),
    correctedBy: [],
  };
  for (const target of entry.corrects) trail.byId.get(target)?.correctedBy.push(e.eventId);
  trail.entries.push(entry);
  trail.byId.set(e.eventId, entry);
  return trail;
}

export function auditTrail(streamId: string, events: Iterable<LedgerEvent>): AuditTrail {
  const trail = initialAuditTrail(streamId);
  for (const e of events) applyToAuditTrail(trail, e);
  return trail;
}
