import { createHash } from 'node:crypto';
import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import { occurredAtOf } from '../domain/calendar.ts';
import type { OutcomeFramework } from '../domain/outcomes/schema.ts';
import type { AwardRecord } from '../domain/student-record.ts';
import {
  type Achievement,
  type Alignment,
  type IssuerProfile,
  OB_CONTEXT,
  OB_SCHEMA,
  type OpenBadgeCredential,
  VC_CONTEXT,
} from './schema.ts';
import { statusListUrl } from './status-list.ts';

// The Open Badges 3.0 credential for a conferred award, built from the award event, the programme
// specification the student enrolled on and its learning-outcome framework. Pure: the caller gives the
// time, the ids, the recipient's email and the salt. No name is ever put in a credential: the recipient
// is a salted hash of an email address, which a verifier checks against the address the holder gives.

const FHEQ_URL = 'https://www.qaa.ac.uk/the-quality-code/qualifications-frameworks';

export function achievementUrl(base: string, programmeId: string, version: number, award: string): string {
  return `${base}/credentials/achievements/${programmeId}/${version}/${award}`;
}

export function frameworkUrl(base: string, frameworkId: string, version: number): string {
  return `${base}/credentials/frameworks/${frameworkId}/${version}`;
}

/** Open Badges 3.0 identity hash: "sha256$" and the hex SHA-256 of the address followed by the salt. */
export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

/** What a holder of this award met, in the specification's own terms (the criteria narrative). */
export function criteriaNarrative(
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  award: AwardRecord['award'],
): string {
  const lines: string[] = [];
  const modules = spec.modules.map(
    (m) => `${m.code} ${m.title} (${m.credits} credits${m.required ? '' : ', optional'})`,
  );
  lines.push(
    spec.totalCredits > 0
      ? `${creditsPhrase(spec)}, ratified by an exam board, from: ${modules.join('; ')}.`
      : `Every assessment passed, confirmed by the ${spec.qualification.awardingBody.name}: ${modules.join('; ')}.`,
  );
  if (spec.priorLearning.maxModules > 0)
    lines.push(
      `APL/RPL may replace at most ${spec.priorLearning.maxModules} module(s) (${spec.priorLearning.source}).`,
    );
  if (spec.attendance.webexRule === 'all-sessions')
    lines.push('Every WebEx session attended, any absence reported and caught up.');
  if (spec.attendance.facilitatedDaysRequired > 0)
    lines.push(`${spec.attendance.facilitatedDaysRequired} facilitated days attended.`);
  if (spec.partnerSchool.totalDays > 0) lines.push(`${spec.partnerSchool.totalDays} partner-school days.`);
  const portfolios = spec.portfolios.filter((p) => p.required).map((p) => p.title);
  if (portfolios.length) lines.push(`Completed: ${portfolios.join('; ')}.`);
  if (spec.viva.required) lines.push('A viva passed.');
  lines.push(
    spec.outcomes.signOff === 'all-outcomes'
      ? `Every learning outcome of ${framework.title} (version ${framework.version}) signed off by a tutor.`
      : `The content of ${framework.title} (version ${framework.version}), assessed by the assessment.`,
  );
  lines.push(
    award === 'qualification'
      ? `The ${spec.awards.qualification}. Whether it satisfies the SENCO duty (SEND Regulations 2014 reg. 49(7)) depends on when the course was started and completed; the ledger's decision says so.`
      : award === 'fallback-certificate'
        ? `The same syllabus completed without qualified teacher status (seed 004 Q9): awarded as the postgraduate certificate, not the ${spec.awards.qualification}.`
        : `An exit award: every credit earned, without the ${spec.awards.qualification}.`,
  );
  return lines.join(' ');
}

/** "60 credits at FHEQ level 7", or the credits alone where the qualification has no level of its own. */
function creditsPhrase(spec: ProgrammeSpecification): string {
  return `${spec.totalCredits} credits${spec.level === null ? '' : ` at FHEQ level ${spec.level}`}`;
}

export function frameworkAlignment(base: string, framework: OutcomeFramework): Alignment[] {
  const url = frameworkUrl(base, framework.frameworkId, framework.version);
  const target = `${framework.frameworkId} v${framework.version}`;
  return framework.parts.flatMap((part) =>
    part.areas.flatMap((area) =>
      area.outcomes.map((o) => ({
        type: ['Alignment'] as ['Alignment'],
        targetName: o.title,
        targetUrl: `${url}#${o.code}`,
        targetCode: o.code,
        targetFramework: target,
        targetDescription: `${area.code} ${area.title}`,
        targetType: 'ext:LearningOutcome',
      })),
    ),
  );
}

export function buildAchievement(args: {
  base: string;
  issuer: IssuerProfile;
  spec: ProgrammeSpecification;
  framework: OutcomeFramework;
  award: AwardRecord['award'];
  title: string;
}): Achievement {
  const { base, spec, framework, award } = args;
  const id = achievementUrl(base, spec.programmeId, spec.version, award);
  return {
    id,
    type: ['Achievement'],
    // Open Badges 3.0 achievement types: the qualification is an award; the others certificates.
    achievementType: award === 'qualification' ? 'Award' : 'Certificate',
    name: args.title,
    description: `${args.title}: ${spec.title}, ${spec.totalCredits > 0 ? creditsPhrase(spec) : 'no credits'}, delivered by ${spec.provider}.`,
    criteria: { id: `${id}#criteria`, narrative: criteriaNarrative(spec, framework, award) },
    creditsAvailable: spec.totalCredits,
    fieldOfStudy: 'Special educational needs coordination',
    humanCode: award === 'qualification' ? spec.qualification.kind : `${spec.programmeId}-${award}`,
    inLanguage: 'en-GB',
    version: `${spec.programmeId} v${spec.version}`,
    tag: [spec.qualification.kind, ...(spec.level === null ? [] : [`FHEQ level ${spec.level}`])],
    creator: { id: args.issuer.id, type: ['Profile'], name: spec.provider },
    alignment: [
      ...(spec.level === null
        ? []
        : [
            {
              type: ['Alignment'] as ['Alignment'],
              targetName: `FHEQ level ${spec.level}`,
              targetUrl: FHEQ_URL,
              targetCode: String(spec.level),
              targetFramework: 'The Framework for Higher Education Qualifications (FHEQ)',
              targetType: 'ext:QualificationLevel',
            },
          ]),
      ...frameworkAlignment(base, framework),
    ],
  };
}

export interface CredentialInput {
  base: string;
  issuer: IssuerProfile;
  credentialId: string;
  issuedAt: Date;
  spec: ProgrammeSpecification;
  framework: OutcomeFramework;
  award: AwardRecord;
  /** Credits the decision at conferral counted (the reproduced decision, not today's). */
  creditsEarned: number;
  enrolledOn: string | null;
  recipient: { email: string; salt: string };
  status: { list: number; index: number };
}

export function buildCredential(input: CredentialInput): OpenBadgeCredential {
  const { base, award, spec } = input;
  const statusUrl = statusListUrl(base, input.status.list);
  const position = award.decidedAt.position.toString();
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: `urn:uuid:${input.credentialId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: input.issuer,
    name: award.title,
    validFrom: input.issuedAt.toISOString(),
    awardedDate: occurredAtOf(award.conferredOn),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: identityHash(input.recipient.email, input.recipient.salt),
          identityType: 'emailAddress',
          hashed: true,
          salt: input.recipient.salt,
        },
      ],
      achievement: buildAchievement({
        base,
        issuer: input.issuer,
        spec,
        framework: input.framework,
        award: award.award,
        title: award.title,
      }),
      creditsEarned: input.creditsEarned,
      ...(input.enrolledOn ? { activityStartDate: occurredAtOf(input.enrolledOn) } : {}),
    },
    evidence: [
      {
        id: `urn:nasenco:award:${award.ref.eventId}`,
        type: ['Evidence'],
        name: `Exam board ${award.examBoardId}, ${award.conferredOn}`,
        genre: 'Exam board decision',
        description: `decision digest sha256:${award.decisionDigest}; log position ${position}; stream revision ${award.decidedAt.streamRevision}`,
        narrative:
          `Conferred by exam board ${award.examBoardId} on ${award.conferredOn} on the decision evaluated on ${award.decidedAt.evaluatedOn} ` +
          `against specification ${spec.programmeId} v${spec.version}, from the student's record up to global log position ${position} ` +
          `(stream revision ${award.decidedAt.streamRevision}). The decision's SHA-256 digest is ${award.decisionDigest}; the ledger ` +
          `recomputes it from its hash-chained log (GET /students/:id/reproduce) to show the award was decided as recorded.`,
      },
    ],
    credentialStatus: {
      id: `${statusUrl}#${input.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.status.index),
      statusListCredential: statusUrl,
    },
    credentialSchema: [{ id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}
