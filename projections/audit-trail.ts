import { z } from 'zod';
import type { MitigationRemedy } from '../events/exam-board.ts';
import type { EventType, LedgerEvent } from '../events/index.ts';
import { withoutClearPersonalData } from '../events/registration.ts';
import { EventRefSchema } from '../src/domain/rules/schema.ts';
import { refOf } from '../src/domain/student-record.ts';
import type { EventOf } from './projection.ts';

// A student's full history in order, with each correction linked both ways to what it corrects: a mark's
// chain (marked, moderated, corrected, ratified), a revoked sign-off, a withdrawn award. It is folded on
// read from the student's stream: it needs every event, so holding it for every student would double the
// memory the live projections use, while one stream reads back in well under a millisecond. So it is not
// in the live registry (projections/index.ts); src/app/queries/audit.ts folds it for each request.

export const AuditEntrySchema = z.object({
  ref: EventRefSchema,
  storedVersion: z.number().describe('the schema version the event was stored at (data is upcast)'),
  hash: z.string(),
  summary: z.string(),
  data: z.unknown(),
  corrects: z
    .array(z.string())
    .describe('the events this one corrects, moderates, ratifies, revokes or withdraws'),
  correctedBy: z
    .array(z.string())
    .describe('later events that correct, moderate, ratify, revoke or withdraw this one'),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

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

/**
 * For every event type (a new one does not compile until it is described here): the line the history
 * shows, and the earlier events it corrects, moderates, ratifies, revokes, settles or rests on.
 */
const AUDIT: {
  [T in EventType]: { summary: (e: EventOf<T>) => string; corrects?: (e: EventOf<T>) => string[] };
} = {
  ApplicationSubmitted: {
    summary: (e) => `Application for ${e.data.programmeId} (${e.data.intake} intake)`,
  },
  QtsEvidenceRecorded: {
    summary: (e) => `QTS evidence: ${e.data.status}${e.data.trnChecked ? ', TRN checked' : ''}`,
  },
  SencoRoleConfirmed: {
    summary: (e) => `Role confirmed: ${e.data.basis} by ${e.data.confirmedByRole}`,
  },
  SencoAppointmentRecorded: {
    summary: (e) =>
      `Appointed SENCO ${e.data.appointedOn ?? '(aspiring)'}, ${e.data.priorSencoMonths} months before`,
  },
  EligibilityAssessed: {
    summary: (e) =>
      `Eligibility assessed: ${e.data.eligible ? 'eligible' : 'not eligible'} (${e.data.route})`,
  },
  PlaceOffered: {
    summary: (e) => `Place offered on ${e.data.cohortId}`,
  },
  StudentEnrolled: {
    summary: (e) => `Enrolled on ${e.data.cohortId}: ${e.data.programmeId} v${e.data.specVersion}`,
  },
  MentorAssigned: {
    summary: (e) => `Mentor assigned (${e.data.mentorRole})`,
  },
  NeedsAnalysisCompleted: {
    summary: () => 'Needs analysis completed',
  },
  WebexSessionAttended: {
    summary: (e) => `Attended WebEx ${e.data.sessionId} (${e.data.moduleCode})`,
  },
  WebexAbsenceReported: {
    summary: (e) => `Absence from WebEx ${e.data.sessionId} reported: ${e.data.reason}`,
  },
  WebexCatchUpCompleted: {
    summary: (e) => `Catch-up for WebEx ${e.data.sessionId} completed`,
  },
  FacilitatedDayAttended: {
    summary: (e) => `Attended facilitated day ${e.data.sessionId} (${e.data.mode})`,
  },
  PartnerSchoolVisitRecorded: {
    summary: (e) => `Partner-school visit for ${e.data.moduleCode}: ${e.data.hours} h (${e.data.phase})`,
  },
  AssignmentSubmitted: {
    summary: (e) =>
      `${e.data.kind === 'plan' ? 'Plan' : 'Assignment'} submitted for ${e.data.moduleCode}, attempt ${e.data.attempt}`,
  },
  AssignmentMarked: {
    summary: (e) => `Marked ${e.data.mark} for ${e.data.moduleCode}, attempt ${e.data.attempt}`,
  },
  MarkModerated: {
    summary: (e) => `Moderated ${e.data.previousMark} -> ${e.data.moderatedMark} for ${e.data.moduleCode}`,
    corrects: (e) => [e.data.markEventId],
  },
  MarkCorrected: {
    summary: (e) =>
      `Corrected ${e.data.previousMark} -> ${e.data.correctedMark} for ${e.data.moduleCode}: ${e.data.reason}`,
    corrects: (e) => [e.data.correctsEventId],
  },
  ResubmissionPermitted: {
    summary: (e) =>
      `Resubmission permitted for ${e.data.moduleCode} (attempt ${e.data.attempt}${e.data.capAt !== null ? `, capped at ${e.data.capAt}` : ''}${e.data.deadline ? `, due by ${e.data.deadline}` : ''})`,
  },
  MarksRatified: {
    summary: (e) =>
      `Exam board ${e.data.examBoardId} ratified ${e.data.marks.map((m) => `${m.moduleCode} ${m.mark}`).join(', ')}`,
    corrects: (e) => e.data.marks.map((m) => m.chainHeadEventId),
  },
  AplClaimSubmitted: {
    summary: (e) => `${e.data.route} claim ${e.data.claimId} for ${e.data.moduleCode}`,
  },
  AplClaimDecided: {
    summary: (e) => `${e.data.claimId} ${e.data.decision}: ${e.data.reason}`,
  },
  OutcomeEvidenceSubmitted: {
    summary: (e) => `Evidence for ${e.data.outcomeCode}: ${e.data.evidence.reference}`,
  },
  OutcomeSignedOff: {
    summary: (e) => `${e.data.outcomeCode} signed off by ${e.data.assessor.id}`,
    corrects: (e) => e.data.evidenceEventIds,
  },
  OutcomeSignOffRevoked: {
    summary: (e) => `${e.data.outcomeCode} sign-off revoked: ${e.data.reason}`,
    corrects: (e) => [e.data.signOffEventId],
  },
  PortfolioCompleted: {
    summary: (e) => `Portfolio ${e.data.portfolio} completed`,
  },
  VivaHeld: {
    summary: (e) => `Viva: ${e.data.outcome}`,
  },
  ExtensionGranted: {
    summary: (e) => `Extension of the ${e.data.timeLimit} limit to ${e.data.newDeadline}`,
  },
  StudyInterrupted: {
    summary: (e) => `Study interrupted from ${e.data.from}`,
  },
  StudyResumed: {
    summary: (e) => `Study resumed on ${e.data.on}`,
  },
  StudentWithdrawn: {
    summary: (e) => `Withdrawn on ${e.data.on}: ${e.data.reason}`,
  },
  PersonalDataErased: {
    summary: (e) => `Personal data erased (request ${e.data.requestReference})`,
  },
  AwardConferred: {
    summary: (e) => `Conferred: ${e.data.title} (board ${e.data.examBoardId})`,
  },
  AwardDecisionWithdrawn: {
    summary: (e) => `Award withdrawn: ${e.data.reason}`,
    corrects: (e) => [e.data.awardEventId],
  },
  AwardReviewResolved: {
    summary: (e) => `Award review resolved: ${e.data.resolution}`,
    corrects: (e) => [e.data.awardEventId],
  },
  WebexAbsenceDecided: {
    summary: (e) =>
      `Absence from WebEx ${e.data.sessionId} ${e.data.decision === 'authorised' ? 'authorised' : 'not authorised'}: ${e.data.reason}`,
  },
  SessionParticipationRecorded: {
    summary: (e) => `Took part in ${e.data.kind} ${e.data.sessionId}`,
  },
  AssessmentSat: {
    summary: (e) => `Sat ${e.data.moduleCode}, attempt ${e.data.attempt}, in window ${e.data.windowId}`,
  },
  AssessmentResultRecorded: {
    summary: (e) => `Result ${e.data.result} for ${e.data.moduleCode}, attempt ${e.data.attempt}`,
  },
  AssessmentResultsConfirmed: {
    summary: (e) =>
      `Board ${e.data.examBoardId} confirmed ${e.data.results.map((r) => `${r.moduleCode} ${r.result}`).join(', ')}`,
    corrects: (e) => e.data.results.map((r) => r.resultEventId),
  },
  BoardOutcomeRecorded: {
    summary: (e) => describeBoardOutcome(e.data),
  },
  MitigatingCircumstancesSubmitted: {
    summary: (e) =>
      `Mitigating circumstances claim ${e.data.claimId} submitted (${e.data.requested} requested, ${e.data.evidence.length} piece(s) of evidence): ${e.data.circumstances}`,
  },
  MitigatingCircumstancesDecided: {
    summary: (e) =>
      `Exam board ${e.data.examBoardId} ${e.data.decision} mitigating circumstances claim ${e.data.claimId}${e.data.remedy ? ` (${describeRemedy(e.data.remedy)})` : ''}: ${e.data.reason}`,
  },
  // Facts of a cohort's or a programme's own stream, never of a student's: described all the same.
  CohortCreated: {
    summary: (e) => `Cohort ${e.data.cohortId} created on ${e.data.programmeId} v${e.data.specVersion}`,
  },
  CohortStaffAssigned: {
    summary: (e) => `${e.data.role === 'tutor' ? 'Tutor' : 'External examiner'} ${e.data.staffId} assigned`,
  },
  ExamBoardHeld: {
    summary: (e) => `Exam board ${e.data.examBoardId} held on ${e.data.heldOn}`,
  },
  AssessmentWindowSet: {
    summary: (e) =>
      `Assessment window ${e.data.windowId} for ${e.data.moduleCodes.join(', ')}: ${e.data.opensOn} to ${e.data.closesOn}`,
  },
  ProgrammeSpecificationPublished: {
    summary: () => 'Programme specification published',
  },
};

const OUTCOME_WORDS = {
  pass: 'passed',
  refer: 'referred',
  defer: 'deferred',
  fail: 'failed',
  withdraw: 'required to withdraw',
} as const;

function describeBoardOutcome(d: EventOf<'BoardOutcomeRecorded'>['data']): string {
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

function entryOf<T extends EventType>(e: EventOf<T>): { summary: string; corrects: string[] } {
  const audit = AUDIT[e.type as T];
  return { summary: audit.summary(e), corrects: audit.corrects?.(e) ?? [] };
}

export function applyToAuditTrail(trail: AuditTrail, e: LedgerEvent): AuditTrail {
  const { summary, corrects } = entryOf(e);
  const entry: AuditEntry = {
    ref: refOf(e),
    storedVersion: e.schemaVersion,
    hash: e.hash,
    summary,
    // An application recorded before v2 held the school's name in clear: not shown with the event.
    data: withoutClearPersonalData(e.type, e.data),
    corrects,
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
