import type { Sealed } from '../../../events/common.ts';
import type { BoardOutcome, MitigationRemedy } from '../../../events/exam-board.ts';
import type { EventDataOf, LedgerEvent } from '../../../events/index.ts';
import type { EventRef, MarkChain } from '../rules/schema.ts';

// A student's record: everything their stream says, folded (the fold is in ../student-record.ts). The
// indexes keyed by event id are null-prototype objects: V8 keeps them as hash tables from the start
// instead of minting a hidden class per new key.

export interface ModuleAttempt {
  attempt: number;
  capAt: number | null;
  permitted: EventRef | null;
  /** The permitted resubmission's deadline (null when permitted without one, or not a resubmission). */
  deadline: string | null;
  submissions: { kind: 'plan' | 'final'; submittedOn: string; ref: EventRef }[];
  /** The root event id of this attempt's mark chain. */
  markChain: string | null;
  /** The first mark's date (a moderation cannot precede it). */
  markedOn: string | null;
  /** Set when this attempt is a first sit given by an exam board's deferral (uncapped, not counted). */
  deferral: { ref: EventRef; claim: EventRef | null } | null;
  /** The exam board's outcome for this attempt, if one was recorded. */
  board: { outcome: BoardOutcome; examBoardId: string; ref: EventRef } | null;
  /** The cohort window the attempt was sat in (an assessment taken in a window). */
  window: { windowId: string; opensOn: string; closesOn: string; ref: EventRef } | null;
  /** A pass/fail result, and the board that confirmed it. */
  result: {
    result: 'pass' | 'fail';
    assessedOn: string;
    ref: EventRef;
    confirmed: { examBoardId: string; boardDate: string; ref: EventRef } | null;
  } | null;
}

export interface BoardOutcomeRecord {
  examBoardId: string;
  boardDate: string;
  moduleCode: string;
  attempt: number;
  outcome: BoardOutcome;
  externalExaminers: string[];
  mitigatingClaimId: string | null;
  ref: EventRef;
}

export interface MitigatingClaim {
  claimId: string;
  submittedOn: string;
  requested: 'deferral' | 'extension';
  affects: EventDataOf<'MitigatingCircumstancesSubmitted'>['affects'];
  submitted: EventRef;
  decision: {
    decision: 'accepted' | 'rejected';
    examBoardId: string;
    decidedOn: string;
    remedy: MitigationRemedy | null;
    reason: string;
    ref: EventRef;
  } | null;
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
  award: EventDataOf<'AwardConferred'>['award'];
  title: string;
  awards: string[];
  examBoardId: string;
  conferredOn: string;
  decidedAt: { position: bigint; streamRevision: bigint; evaluatedOn: string };
  specification: { programmeId: string; version: number };
  decisionDigest: string;
  /** The statutory effect as decided at conferral (null for a conferral recorded before it was kept). */
  duty: EventDataOf<'AwardConferred'>['duty'];
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
      /** Registry's decision on the reported absence. */
      authorisation: { decision: 'authorised' | 'not-authorised'; ref: EventRef } | null;
      catchUp: EventRef | null;
    }
  >;
  facilitatedDays: Record<string, { attendedOn: string; mode: string; ref: EventRef }>;
  /** Sessions and activities taken part in, by session id (what a participation threshold counts). */
  participation: Record<string, { kind: 'session' | 'activity'; participatedOn: string; ref: EventRef }>;
  /** Which attempt a result event belongs to, so a confirmation can name it. */
  resultEvents: Map<string, { moduleCode: string; attempt: number }>;
  visits: { moduleCode: string; visitedOn: string; phase: string; hours: number; ref: EventRef }[];
  /** Per module, its attempts in order (attempt 1 exists once anything is submitted or marked). */
  modules: Record<string, ModuleAttempt[]>;
  /** Mark chains by the id of their first (AssignmentMarked) event. */
  markChains: Map<string, MarkChain>;
  /** Which chain any mark event (marked, moderated, corrected) belongs to. */
  markEventChain: Map<string, string>;
  aplClaims: Record<string, AplClaim>;
  outcomes: Record<string, OutcomeProgress>;
  /** Sign-off event id -> outcome code, so a revocation can name the sign-off it revokes. */
  signOffEvents: Map<string, string>;
  evidenceEvents: Map<string, string>;
  portfolios: Record<string, { completedOn: string; ref: EventRef }>;
  viva: { heldOn: string; outcome: 'pass' | 'fail' | 'referred'; ref: EventRef } | null;
  /** By time limit (outcomes, assignments, programme), or `resubmission:<module>:<attempt>`. */
  extensions: Record<string, { newDeadline: string; reason: string; ref: EventRef }>;
  interruption: { from: string; expectedReturn: string | null; ref: EventRef } | null;
  /** Every interruption of study, in order: each pauses the time limits for its length. */
  interruptions: { from: string; resumedOn: string | null; ref: EventRef; resumedRef: EventRef | null }[];
  withdrawal: { on: string; reason: string; ref: EventRef } | null;
  erasure: { erasedOn: string; ref: EventRef } | null;
  awards: AwardRecord[];
  /** Each outcome an exam board recorded for this student, in order. */
  boardOutcomes: BoardOutcomeRecord[];
  /** Mitigating-circumstances claims by claim id, with the board's decision once made. */
  mitigatingCircumstances: Record<string, MitigatingClaim>;
  /** Every event id in the stream, with its type: what corrections and ratifications may name. */
  eventTypes: Map<string, string>;
}

/** The record's tables kept as null-prototype objects (keyed by claim or outcome ids); those keyed by event
 * ids are Maps, so that reading a record does not add every event id to V8's table of property names. */
export const TABLE_FIELDS = ['aplClaims', 'outcomes'] as const satisfies readonly (keyof StudentRecord)[];

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
    participation: {},
    resultEvents: new Map(),
    visits: [],
    modules: {},
    markChains: new Map(),
    markEventChain: new Map(),
    aplClaims: Object.create(null),
    outcomes: Object.create(null),
    signOffEvents: new Map(),
    evidenceEvents: new Map(),
    portfolios: {},
    viva: null,
    extensions: {},
    interruption: null,
    interruptions: [],
    withdrawal: null,
    erasure: null,
    awards: [],
    boardOutcomes: [],
    mitigatingCircumstances: {},
    eventTypes: new Map(),
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
