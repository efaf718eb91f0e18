import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { Code } from '../../events/common.ts';
import type { Ledger } from '../app/ledger.ts';
import { AwardCredentials } from '../credentials/award-credentials.ts';
import { Issuer } from '../credentials/issuer.ts';
import { IssuerStore } from '../credentials/issuer-store.ts';
import { buildAchievement } from '../credentials/open-badge.ts';
import { awardLetterPdf } from '../credentials/pdf/award-letter.ts';
import { letterData, transcriptData } from '../credentials/pdf/documents.ts';
import { transcriptPdf } from '../credentials/pdf/transcript.ts';
import { OB_CONTEXT, VC_CONTEXT } from '../credentials/schema.ts';
import { invalid } from '../errors.ts';
import { type Access, requirePrincipal, requireRole } from './auth.ts';
import { StudentParams } from './students.ts';

// Verifiable awards. Public, with no token: the issuer's profile and keys, the status lists, the check of
// a credential by its id, the achievements and frameworks credentials point to, and verification. For the
// student (their own) and registry: the credential itself. For them, admins and the cohort's external
// examiner: the award letter and transcript as PDF (an examiner's copy names the student id, not the name).

const CREDENTIAL_ROLES = ['registry', 'student'] as const;
const DOCUMENT_ROLES = ['registry', 'admin', 'examiner', 'student'] as const;

/** What POST /credentials/verify accepts: the compact JWS as text, or JSON naming it. */
const VerifyBody = z.union([
  z.string().trim().min(1),
  z.object({ jwt: z.string().trim().min(1) }),
  z.object({ credential: z.string().trim().min(1) }),
]);

const defaultIssuer = () =>
  new Issuer(new IssuerStore(':memory:'), {
    name: 'NASENCO ledger (demo issuer)',
    publicUrl: 'http://127.0.0.1:3000',
  });

export function credentialRoutes(ledger: Ledger, access: Access, issuer: Issuer = defaultIssuer()) {
  const credentials = new AwardCredentials(ledger, issuer);
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    for (const type of ['application/vc+jwt', 'application/jwt'])
      app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));

    api.get(
      '/credentials/issuer',
      {
        schema: {
          tags: ['credentials'],
          summary: 'The issuer profile (Open Badges 3.0) and its keys (public)',
          security: [],
        },
      },
      async () => ({
        '@context': [VC_CONTEXT, OB_CONTEXT],
        ...issuer.profile(),
        jwks_uri: issuer.jwksUrl(),
        keys: issuer.store
          .keys()
          .map((k) => ({ kid: k.kid, createdAt: k.createdAt, retiredAt: k.retiredAt })),
      }),
    );

    api.get(
      '/credentials/issuer/jwks.json',
      {
        schema: {
          tags: ['credentials'],
          summary: 'The issuer public keys, retired ones included (JWK set, public)',
          security: [],
        },
      },
      async (_request, reply) => {
        // The first key exists before anything is signed, so the set is never empty.
        await issuer.store.currentKey(ledger.clock());
        return reply.type('application/jwk-set+json').send(JSON.stringify(issuer.jwks()));
      },
    );

    api.get(
      '/credentials/status/:list',
      {
        schema: {
          tags: ['credentials'],
          summary: 'A signed Bitstring Status List credential (application/vc+jwt, public)',
          security: [],
          params: z.object({ list: z.coerce.number().int().min(1).max(1_000_000) }),
        },
      },
      async (request, reply) => {
        const jwt = await credentials.statusList(request.params.list);
        return reply.type('application/vc+jwt').header('Cache-Control', 'public, max-age=300').send(jwt);
      },
    );

    api.post(
      '/credentials/verify',
      {
        schema: {
          tags: ['credentials'],
          summary:
            'Verify a credential: valid, tampered, revoked, unknown-key, invalid or status-unknown, with reasons (public)',
          description:
            'Send the compact JWS as text (Content-Type text/plain or application/vc+jwt), or JSON {"jwt": "..."} as GET /students/:id/credentials gives it.',
          security: [],
        },
      },
      async (request) => {
        const parsed = VerifyBody.safeParse(request.body);
        if (!parsed.success)
          throw invalid('invalid_credential', [
            {
              field: 'body',
              reason:
                'must be the credential as signed: its compact JWS as text, or JSON {"jwt": "<compact JWS>"} (decoded JSON carries no proof)',
            },
          ]);
        const body = parsed.data;
        const jwt = typeof body === 'string' ? body : 'jwt' in body ? body.jwt : body.credential;
        return credentials.verify(jwt);
      },
    );

    api.get(
      '/credentials/achievements/:programmeId/:version/:award',
      {
        schema: {
          tags: ['credentials'],
          summary: 'The achievement a credential names: criteria and alignment (public)',
          security: [],
          params: z.object({
            programmeId: Code,
            version: z.coerce.number().int().min(1),
            // national-award: the name credentials issued before the NPQ (schema version 1) link to
            award: z.enum(['qualification', 'fallback-certificate', 'exit-award', 'national-award']),
          }),
        },
      },
      async (request) => {
        const { programmeId, version } = request.params;
        const award = request.params.award === 'national-award' ? 'qualification' : request.params.award;
        const spec = ledger.reference.specification(programmeId, version);
        const framework = ledger.reference.framework(
          spec.outcomes.frameworkId,
          spec.outcomes.frameworkVersion,
        );
        const title =
          award === 'qualification'
            ? spec.awards.qualification
            : award === 'fallback-certificate'
              ? spec.awards.withoutQts?.title
              : spec.awards.exit[0]?.title;
        if (!title)
          throw invalid('no_such_award', [
            { field: 'award', reason: `${programmeId} v${version} has no ${award} award` },
          ]);
        return {
          '@context': [VC_CONTEXT, OB_CONTEXT],
          ...buildAchievement({ base: issuer.base, issuer: issuer.profile(), spec, framework, award, title }),
        };
      },
    );

    api.get(
      '/credentials/frameworks/:frameworkId/:version',
      {
        schema: {
          tags: ['credentials'],
          summary: 'A learning-outcome framework credentials align to (public)',
          security: [],
          params: z.object({ frameworkId: Code, version: z.coerce.number().int().min(1) }),
        },
      },
      async (request) => ledger.reference.framework(request.params.frameworkId, request.params.version),
    );

    api.get(
      '/credentials/:credentialId',
      {
        schema: {
          tags: ['credentials'],
          summary: 'Whether an issued credential stands, by its id (public; the award letter QR code)',
          security: [],
          params: z.object({ credentialId: z.uuid('must be a credential id (a uuid)') }),
        },
      },
      async (request) => credentials.check(request.params.credentialId),
    );

    const scoped = (roles: readonly (typeof DOCUMENT_ROLES)[number][]) => ({
      // Role and scope before anything else: 401, then 403, then 404.
      preValidation: async (request: import('fastify').FastifyRequest) => {
        const p = requireRole(request, roles);
        access.readableRecord(p, (request.params as { studentId: string }).studentId);
      },
    });

    api.post(
      '/students/:studentId/credentials',
      {
        ...scoped(CREDENTIAL_ROLES),
        schema: {
          tags: ['credentials'],
          summary:
            'Issue the credential for the standing award (or give the one issued): 201 new, 200 existing',
          description:
            'Roles: registry, and the student for themselves. Refused (422) after an erasure or without a standing award.',
          params: StudentParams,
        },
      },
      async (request, reply) => {
        const { created, issued } = await credentials.issue(request.params.studentId);
        return reply.status(created ? 201 : 200).send(issued);
      },
    );

    api.get(
      '/students/:studentId/credentials',
      {
        ...scoped(CREDENTIAL_ROLES),
        schema: {
          tags: ['credentials'],
          summary: 'The credentials issued to a student, each with its status and the signed credential',
          params: StudentParams,
        },
      },
      async (request) => ({ credentials: credentials.list(request.params.studentId) }),
    );

    const pdf = (reply: FastifyReply, name: string, bytes: Uint8Array) =>
      reply
        .type('application/pdf')
        .header('Content-Disposition', `attachment; filename="${name}"`)
        .send(Buffer.from(bytes));

    api.get(
      '/students/:studentId/award-letter.pdf',
      {
        ...scoped(DOCUMENT_ROLES),
        schema: {
          tags: ['credentials'],
          summary: 'The award letter (PDF) with a QR code to check the award',
          params: StudentParams,
        },
      },
      async (request, reply) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        const data = await letterData(
          ledger,
          credentials,
          record.studentId,
          access.canSeePersonalData(p, record),
        );
        return pdf(reply, `award-letter-${record.studentId}.pdf`, await awardLetterPdf(data));
      },
    );

    api.get(
      '/students/:studentId/transcript.pdf',
      {
        ...scoped(DOCUMENT_ROLES),
        schema: {
          tags: ['credentials'],
          summary: 'The transcript (PDF): modules, credits, ratified marks, boards, awards',
          params: StudentParams,
        },
      },
      async (request, reply) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        const data = transcriptData(
          ledger,
          credentials,
          record.studentId,
          access.canSeePersonalData(p, record),
        );
        return pdf(reply, `transcript-${record.studentId}.pdf`, await transcriptPdf(data));
      },
    );
  };
}
