import type { Ledger } from '../../app/ledger.ts';
import { londonDate } from '../../domain/calendar.ts';
import { standingAward } from '../../domain/student-record.ts';
import { refused } from '../../errors.ts';
import type { AwardCredentials } from '../award-credentials.ts';

// What the award letter and the transcript say, gathered from the ledger's queries. Who the student is
// appears only when the reader may see personal data: an external examiner's copy names the student id.

export interface LetterData {
  issuerName: string;
  recipient: string;
  studentId: string;
  title: string;
  conferredOn: string;
  examBoardId: string;
  creditsEarned: number;
  level: number | null;
  specTitle: string;
  programme: string;
  provider: string;
  decisionDigest: string;
  position: string;
  credentialId: string | null;
  checkUrl: string | null;
  verifyUrl: string;
  printedOn: string;
}

export interface TranscriptData {
  issuerName: string;
  recipient: string;
  studentId: string;
  programme: string;
  specTitle: string;
  provider: string;
  cohortId: string | null;
  enrolledOn: string | null;
  printedOn: string;
  modules: {
    code: string;
    title: string;
    credits: number;
    status: string;
    creditsEarned: number;
    attempts: { attempt: number; mark: string; board: string }[];
  }[];
  creditsEarned: number;
  creditsRequired: number;
  awards: {
    title: string;
    conferredOn: string;
    examBoardId: string;
    digest: string;
    withdrawn: string | null;
  }[];
  checkUrl: string | null;
  verifyUrl: string;
}

function recipientOf(ledger: Ledger, studentId: string, showNames: boolean): string {
  const record = ledger.queries.record(studentId);
  if (!showNames) return `Student ${studentId}`;
  const details = ledger.queries.personalDetails(record);
  return details ? details.fullName : `Student ${studentId} (personal data erased)`;
}

export async function letterData(
  ledger: Ledger,
  credentials: AwardCredentials,
  studentId: string,
  showNames: boolean,
): Promise<LetterData> {
  const record = ledger.queries.record(studentId);
  const award = standingAward(record);
  if (!award)
    throw refused(
      'no_standing_award',
      `student ${studentId} holds no conferred award: there is no letter to give`,
    );
  // The letter carries the credential's QR code: it is issued now if it was not yet (and can be).
  const issued =
    credentials.standing(record) ?? (record.erasure ? null : (await credentials.issue(studentId)).issued);
  const reproduction = (await ledger.queries.reproduce(studentId)).find(
    (r) => r.awardEventId === award.ref.eventId,
  );
  const spec = ledger.reference.specification(award.specification.programmeId, award.specification.version);
  return {
    issuerName: credentials.issuer.profile().name,
    recipient: recipientOf(ledger, studentId, showNames),
    studentId,
    title: award.title,
    conferredOn: award.conferredOn,
    examBoardId: award.examBoardId,
    creditsEarned: reproduction?.decision.credits.earned ?? 0,
    level: spec.level,
    specTitle: spec.title,
    programme: `${spec.programmeId} v${spec.version}`,
    provider: spec.provider,
    decisionDigest: award.decisionDigest,
    position: award.decidedAt.position.toString(),
    credentialId: issued?.credentialId ?? null,
    checkUrl: issued?.checkUrl ?? null,
    verifyUrl: `${credentials.issuer.base}/credentials/verify`,
    printedOn: ledger.queries.today(),
  };
}

export function transcriptData(
  ledger: Ledger,
  credentials: AwardCredentials,
  studentId: string,
  showNames: boolean,
): TranscriptData {
  const record = ledger.queries.record(studentId);
  const ledgerCredits = ledger.queries.credits(studentId);
  if (!record.enrolment || !ledgerCredits)
    throw refused(
      'not_enrolled',
      `student ${studentId} is not enrolled on a programme: there is no transcript`,
    );
  const spec = ledger.reference.specification(record.enrolment.programmeId, record.enrolment.specVersion);
  return {
    issuerName: credentials.issuer.profile().name,
    recipient: recipientOf(ledger, studentId, showNames),
    studentId,
    programme: `${spec.programmeId} v${spec.version}`,
    specTitle: spec.title,
    provider: spec.provider,
    cohortId: record.enrolment.cohortId,
    enrolledOn: record.enrolment.enrolledOn,
    printedOn: ledger.queries.today(),
    modules: ledgerCredits.modules.map((m) => ({
      code: m.moduleCode,
      title: m.title,
      credits: m.credits,
      status: m.apl ? `${m.apl.route} approved` : m.status.replace(/-/g, ' '),
      creditsEarned: m.creditsEarned,
      attempts: m.attempts.map((a) => {
        const ratified = a.chain?.ratified ?? null;
        // Marks as the exam board ratified them; a later change shows beside it, provisional.
        const mark = ratified
          ? `${ratified.mark}${a.cappedAt !== null && ratified.mark > a.cappedAt ? ` (capped at ${a.cappedAt})` : ''}${a.changedAfterRatification ? `; since changed to ${a.effectiveMark}, provisional` : ''}`
          : a.effectiveMark !== null
            ? `${a.effectiveMark}, provisional`
            : 'not marked';
        return {
          attempt: a.attempt,
          mark,
          board: ratified ? `${ratified.examBoardId}, ${ratified.boardDate}` : 'not yet ratified',
        };
      }),
    })),
    creditsEarned: ledgerCredits.earned,
    creditsRequired: ledgerCredits.required,
    awards: record.awards.map((a) => ({
      title: a.title,
      conferredOn: a.conferredOn,
      examBoardId: a.examBoardId,
      digest: a.decisionDigest,
      withdrawn: a.withdrawn
        ? `withdrawn on ${londonDate(a.withdrawn.ref.occurredAt)}: ${a.withdrawn.reason}`
        : null,
    })),
    checkUrl: credentials.standing(record)?.checkUrl ?? null,
    verifyUrl: `${credentials.issuer.base}/credentials/verify`,
  };
}
