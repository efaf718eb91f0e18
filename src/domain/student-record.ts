import { produce } from 'immer';
import type { Sealed } from '../../events/common.ts';
import type { EventDataOf, LedgerEvent } from '../../events/index.ts';
import type { Actor } from '../store/port.ts';

// A student's record: everything their stream says, folded. `applyEvent` mutates the record it is given
// (the projections' own records, the command handler's cached states) and is also a valid immer recipe,
// for `evolve`, the immutable fold; a full rebuild must run at hundreds of thousands of events a second
// and immer's copy-on-write costs microseconds per event. The indexes keyed by event id are null-prototype
// objects: V8 keeps them as hash tables from the start instead of minting a hidden class per new key.

/** The event behind a fact: what registry staff and examiners follow back to the log. */
export interface EventRef {
  eventId: string;
  type: string;
  position: bigint;
  revision: bigint;
  actor: Actor;
  recordedAt: string;
  occurredAt: string;
}

export interface MarkStep {
  ref: EventRef;
  mark: number;
  kind: 'marked' | 'moderated' | 'corrected';
  reason?: string;
}

/** A mark and everything that happened to it: marked, moderated, corrected, ratified. */
export interface MarkChain {
  rootEventId: string;
  moduleCode: string;
  attempt: number;
  steps: MarkStep[];
  /** The mark as it stands (the last step), before any resubmission cap. */
  mark: number;
  headEventId: string;
  ratified: {
    examBoardId: string;
    boardDate: string;
    mark: number;
    headEventId: string;
    ref: EventRef;
  } | null;
}

export interface ModuleAttempt {
  attempt: number;
  capAt: number | null;
  permitted: EventRef | null;
  submissions: { kind: 'plan' | 'final'; submittedOn: string; ref: EventRef }[];
  /** The root event id of this attempt's mark chain. */
  markChain: string | null;
}

export interface AplClaim {
  claimId: string;
  moduleCode: string;
  route: 'APL' | 'RPL';
  submitted: EventRef;
  decision: { decision: 'approved' | 'rejected'; decidedOn: string; reason: string; ref: EventRef } | null;
}

export interface OutcomeProgress {
  evidence: { eventId: string; submittedOn: string; ref: EventRef }[];
  signOff: { signedOffOn: string; assessorId: string; frameworkVersion: number; ref: EventRef } | null;
  revocations: { reason: string; revokedOn: string; ref: EventRef }[];
}

export interface AwardRecord {
  ref: EventRef;
  award: 'national-award' | 'fallback-certificate';
  title: string;
  examBoardId: string;
  conferredOn: string;
  decidedAt: { position: bigint; streamRevision: bigint; evaluatedOn: string };
  specification: { programmeId: string; version: number };
  decisionDigest: string;
  withdrawn: { reason: string; ref: EventRef } | null;
  reviewResolved: { resolution: string; ref: EventRef } | null;
}

export interface StudentRecord {
  studentId: string;
  streamId: string;
  revision: bigint;
  lastPosition: bigint;
  lastRecordedAt: string;
  application: {
    programmeId: string;
    intake: 'autumn' | 'spring';
    submittedOn: string;
    school: EventDataOf<'ApplicationSubmitted'>['school'];
    /** An application recorded before v2 held the school's name in clear: personal data, shown as such. */
    legacySchool: EventDataOf<'ApplicationSubmitted'>['schoolInClear'] | null;
    personal: Sealed;
    ref: EventRef;
  } | null;
  qts: (EventDataOf<'QtsEvidenceRecorded'> & { ref: EventRef }) | null;
  role: (EventDataOf<'SencoRoleConfirmed'> & { ref: EventRef }) | null;
  appointment: (EventDataOf<'SencoAppointmentRecorded'> & { ref: EventRef }) | null;
  eligibility: (EventDataOf<'EligibilityAssessed'> & { ref: EventRef }) | null;
  offer: (EventDataOf<'PlaceOffered'> & { ref: EventRef }) | null;
  enrolment: (EventDataOf<'StudentEnrolled'> & { ref: EventRef }) | null;
  mentor: (EventDataOf<'MentorAssigned'> & { ref: EventRef }) | null;
  needsAnalysis: (EventDataOf<'NeedsAnalysisCompleted'> & { ref: EventRef }) | null;
  webex: Record<
    string,
    {
      moduleCode: string;
      attended: EventRef | null;
      absence: { reason: string; ref: EventRef } | null;
      catchUp: EventRef | null;
    }
  >;
  facilitatedDays: Record<string, { attendedOn: string; mode: string; ref: EventRef }>;
  visits: { moduleCode: string; visitedOn: string; phase: string; hours: number; ref: EventRef }[];
  /** Per module, its attempts in order (attempt 1 exists once anything is submitted or marked). */
  modules: Record<string, ModuleAttempt[]>;
  /** Mark chains by the id of their first (AssignmentMarked) event. */
  markChains: Record<string, MarkChain>;
  /** Which chain any mark event (marked, moderated, corrected) belongs to. */
  markEventChain: Record<string, string>;
  aplClaims: Record<string, AplClaim>;
  outcomes: Record<string, OutcomeProgress>;
  /** Sign-off event id -> outcome code, so a revocation can name the sign-off it revokes. */
  signOffEvents: Record<string, string>;
  evidenceEvents: Record<string, string>;
  portfolios: Record<string, { completedOn: string; ref: EventRef }>;
  viva: { heldOn: string; outcome: 'pass' | 'fail' | 'referred'; ref: EventRef } | null;
  extensions: Record<string, { newDeadline: string; reason: string; ref: EventRef }>;
  interruption: { from: string; expectedReturn: string | null; ref: EventRef } | null;
  withdrawal: { on: string; reason: string; ref: EventRef } | null;
  erasure: { erasedOn: string; ref: EventRef } | null;
  awards: AwardRecord[];
  /** Every event id in the stream, with its type: what corrections and ratifications may name. */
  eventTypes: Record<string, string>;
}

/** The record's fields that are hash tables (null-prototype objects keyed by event, claim or outcome ids). */
export const TABLE_FIELDS = [
  'markChains',
  'markEventChain',
  'aplClaims',
  'outcomes',
  'signOffEvents',
  'evidenceEvents',
  'eventTypes',
] as const satisfies readonly (keyof StudentRecord)[];

export function emptyRecord(streamId: string): StudentRecord {
  return {
    studentId: streamId.startsWith('student-') ? streamId.slice('student-'.length) : streamId,
    streamId,
    revision: -1n,
    lastPosition: 0n,
    lastRecordedAt: '',
    application: null,
    qts: null,
    role: null,
    appointment: null,
    eligibility: null,
    offer: null,
    enrolment: null,
    mentor: null,
    needsAnalysis: null,
    webex: {},
    facilitatedDays: {},
    visits: [],
    modules: {},
    markChains: Object.create(null),
    markEventChain: Object.create(null),
    aplClaims: Object.create(null),
    outcomes: Object.create(null),
    signOffEvents: Object.create(null),
    evidenceEvents: Object.create(null),
    portfolios: {},
    viva: null,
    extensions: {},
    interruption: null,
    withdrawal: null,
    erasure: null,
    awards: [],
    eventTypes: Object.create(null),
  };
}

export function refOf(e: LedgerEvent): EventRef {
  return {
    eventId: e.eventId,
    type: e.type,
    position: e.position,
    revision: e.revision,
    actor: e.metadata.actor,
    recordedAt: e.recordedAt,
    occurredAt: e.metadata.occurredAt,
  };
}

function attemptOf(r: StudentRecord, moduleCode: string, attempt: number): ModuleAttempt {
  const attempts = r.modules[moduleCode] ?? [];
  r.modules[moduleCode] = attempts;
  let found = attempts.find((a) => a.attempt === attempt);
  if (!found) {
    found = { attempt, capAt: null, permitted: null, submissions: [], markChain: null };
    attempts.push(found);
    attempts.sort((a, b) => a.attempt - b.attempt);
  }
  return found;
}

function addMarkStep(r: StudentRecord, targetEventId: string, step: MarkStep): void {
  const root = r.markEventChain[targetEventId];
  const chain = root ? r.markChains[root] : undefined;
  if (!chain) return; // the decider refuses this; a foreign log is folded as far as it makes sense
  chain.steps.push(step);
  chain.mark = step.mark;
  chain.headEventId = step.ref.eventId;
  r.markEventChain[step.ref.eventId] = chain.rootEventId;
}

/** The immer recipe: folds one event into a record (a draft, or a projection's own mutable record). */
export function applyEvent(r: StudentRecord, e: LedgerEvent): void {
  const ref = refOf(e);
  r.revision = e.revision;
  r.lastPosition = e.position;
  r.lastRecordedAt = e.recordedAt;
  r.eventTypes[e.eventId] = e.type;
  switch (e.type) {
    case 'ApplicationSubmitted': {
      const d = e.data;
      r.studentId = d.studentId;
      r.application = {
        programmeId: d.programmeId,
        intake: d.intake,
        submittedOn: d.submittedOn,
        school: d.school,
        legacySchool: d.schoolInClear ?? null,
        personal: d.personal,
        ref,
      };
      break;
    }
    case 'QtsEvidenceRecorded':
      r.qts = { ...e.data, ref };
      break;
    case 'SencoRoleConfirmed':
      r.role = { ...e.data, ref };
      break;
    case 'SencoAppointmentRecorded':
      r.appointment = { ...e.data, ref };
      break;
    case 'EligibilityAssessed':
      r.eligibility = { ...e.data, ref };
      break;
    case 'PlaceOffered':
      r.offer = { ...e.data, ref };
      break;
    case 'StudentEnrolled':
      r.enrolment = { ...e.data, ref };
      break;
    case 'MentorAssigned':
      r.mentor = { ...e.data, ref };
      break;
    case 'NeedsAnalysisCompleted':
      r.needsAnalysis = { ...e.data, ref };
      break;
    case 'WebexSessionAttended':
    case 'WebexAbsenceReported':
    case 'WebexCatchUpCompleted': {
      const d = e.data;
      const session = r.webex[d.sessionId] ?? {
        moduleCode: d.moduleCode,
        attended: null,
        absence: null,
        catchUp: null,
      };
      r.webex[d.sessionId] = session;
      if (e.type === 'WebexSessionAttended') session.attended = ref;
      else if (e.type === 'WebexAbsenceReported') session.absence = { reason: e.data.reason, ref };
      else session.catchUp = ref;
      break;
    }
    case 'FacilitatedDayAttended':
      r.facilitatedDays[e.data.sessionId] = { attendedOn: e.data.attendedOn, mode: e.data.mode, ref };
      break;
    case 'PartnerSchoolVisitRecorded':
      r.visits.push({
        moduleCode: e.data.moduleCode,
        visitedOn: e.data.visitedOn,
        phase: e.data.phase,
        hours: e.data.hours,
        ref,
      });
      break;
    case 'AssignmentSubmitted':
      attemptOf(r, e.data.moduleCode, e.data.attempt).submissions.push({
        kind: e.data.kind,
        submittedOn: e.data.submittedOn,
        ref,
      });
      break;
    case 'AssignmentMarked': {
      const d = e.data;
      r.markChains[e.eventId] = {
        rootEventId: e.eventId,
        moduleCode: d.moduleCode,
        attempt: d.attempt,
        steps: [{ ref, mark: d.mark, kind: 'marked' }],
        mark: d.mark,
        headEventId: e.eventId,
        ratified: null,
      };
      r.markEventChain[e.eventId] = e.eventId;
      attemptOf(r, d.moduleCode, d.attempt).markChain = e.eventId;
      break;
    }
    case 'MarkModerated':
      addMarkStep(r, e.data.markEventId, { ref, mark: e.data.moderatedMark, kind: 'moderated' });
      break;
    case 'MarkCorrected':
      addMarkStep(r, e.data.correctsEventId, {
        ref,
        mark: e.data.correctedMark,
        kind: 'corrected',
        reason: e.data.reason,
      });
      break;
    case 'ResubmissionPermitted': {
      const attempt = attemptOf(r, e.data.moduleCode, e.data.attempt);
      attempt.capAt = e.data.capAt;
      attempt.permitted = ref;
      break;
    }
    case 'MarksRatified':
      for (const m of e.data.marks) {
        const root = r.markEventChain[m.chainHeadEventId];
        const chain = root ? r.markChains[root] : undefined;
        if (chain)
          chain.ratified = {
            examBoardId: e.data.examBoardId,
            boardDate: e.data.boardDate,
            mark: m.mark,
            headEventId: m.chainHeadEventId,
            ref,
          };
      }
      break;
    case 'AplClaimSubmitted':
      r.aplClaims[e.data.claimId] = {
        claimId: e.data.claimId,
        moduleCode: e.data.moduleCode,
        route: e.data.route,
        submitted: ref,
        decision: null,
      };
      break;
    case 'AplClaimDecided': {
      const claim = r.aplClaims[e.data.claimId];
      if (claim)
        claim.decision = {
          decision: e.data.decision,
          decidedOn: e.data.decidedOn,
          reason: e.data.reason,
          ref,
        };
      break;
    }
    case 'OutcomeEvidenceSubmitted': {
      const o = outcomeOf(r, e.data.outcomeCode);
      o.evidence.push({ eventId: e.eventId, submittedOn: e.data.submittedOn, ref });
      r.evidenceEvents[e.eventId] = e.data.outcomeCode;
      break;
    }
    case 'OutcomeSignedOff': {
      const o = outcomeOf(r, e.data.outcomeCode);
      o.signOff = {
        signedOffOn: e.data.signedOffOn,
        assessorId: e.data.assessor.id,
        frameworkVersion: e.data.frameworkVersion,
        ref,
      };
      r.signOffEvents[e.eventId] = e.data.outcomeCode;
      break;
    }
    case 'OutcomeSignOffRevoked': {
      const o = outcomeOf(r, e.data.outcomeCode);
      if (o.signOff?.ref.eventId === e.data.signOffEventId) o.signOff = null;
      o.revocations.push({ reason: e.data.reason, revokedOn: e.data.revokedOn, ref });
      break;
    }
    case 'PortfolioCompleted':
      r.portfolios[e.data.portfolio] = { completedOn: e.data.completedOn, ref };
      break;
    case 'VivaHeld':
      r.viva = { heldOn: e.data.heldOn, outcome: e.data.outcome, ref };
      break;
    case 'ExtensionGranted':
      r.extensions[e.data.timeLimit] = { newDeadline: e.data.newDeadline, reason: e.data.reason, ref };
      break;
    case 'StudyInterrupted':
      r.interruption = { from: e.data.from, expectedReturn: e.data.expectedReturn, ref };
      break;
    case 'StudyResumed':
      r.interruption = null;
      break;
    case 'StudentWithdrawn':
      r.withdrawal = { on: e.data.on, reason: e.data.reason, ref };
      break;
    case 'PersonalDataErased':
      r.erasure = { erasedOn: e.data.erasedOn, ref };
      break;
    case 'AwardConferred': {
      const d = e.data;
      r.awards.push({
        ref,
        award: d.award,
        title: d.title,
        examBoardId: d.examBoardId,
        conferredOn: d.conferredOn,
        decidedAt: {
          position: BigInt(d.decidedAt.position),
          streamRevision: BigInt(d.decidedAt.streamRevision),
          evaluatedOn: d.decidedAt.evaluatedOn,
        },
        specification: d.specification,
        decisionDigest: d.decisionDigest,
        withdrawn: null,
        reviewResolved: null,
      });
      break;
    }
    case 'AwardDecisionWithdrawn': {
      const award = r.awards.find((a) => a.ref.eventId === e.data.awardEventId);
      if (award) award.withdrawn = { reason: e.data.reason, ref };
      break;
    }
    case 'AwardReviewResolved': {
      const award = r.awards.find((a) => a.ref.eventId === e.data.awardEventId);
      if (award) award.reviewResolved = { resolution: e.data.resolution, ref };
      break;
    }
    default:
      break; // cohort and programme events live in other streams
  }
}

function outcomeOf(r: StudentRecord, code: string): OutcomeProgress {
  let o = r.outcomes[code];
  if (!o) {
    o = { evidence: [], signOff: null, revocations: [] };
    r.outcomes[code] = o;
  }
  return o;
}

/** The immutable fold used by the command path. */
export function evolve(state: StudentRecord, event: LedgerEvent): StudentRecord {
  return produce(state, (draft) => {
    applyEvent(draft as StudentRecord, event);
  });
}

export function foldRecord(streamId: string, events: Iterable<LedgerEvent>): StudentRecord {
  const r = emptyRecord(streamId);
  for (const e of events) applyEvent(r, e);
  return r;
}

/** The award currently standing: the latest conferral not withdrawn. */
export function standingAward(r: StudentRecord): AwardRecord | null {
  for (let i = r.awards.length - 1; i >= 0; i--) if (!r.awards[i]!.withdrawn) return r.awards[i]!;
  return null;
}
