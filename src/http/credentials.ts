import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Code } from '../../events/common.ts';
import type { Access } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { AwardCredentials } from '../credentials/award-credentials.ts';
import { Issuer } from '../credentials/issuer.ts';
import { IssuerStore } from '../credentials/issuer-store.ts';
import { buildAchievement } from '../credentials/open-badge.ts';
import {
  AchievementView,
  CredentialCheckSchema,
  IssuerView,
  VerificationSchema,
} from '../credentials/responses.ts';
import { OB_CONTEXT, VC_CONTEXT } from '../credentials/schema.ts';
import { OutcomeFramework } from '../domain/outcomes/schema.ts';
import { invalid } from '../errors.ts';
import { studentCredentialRoutes } from './student-credentials.ts';

// Verifiable awards. Public, with no token: the issuer's profile and keys, the status lists, the check of
// a credential by its id, the achievements and frameworks credentials point to, and verification. A
// student's own credentials and award documents are src/http/student-credentials.ts.

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
          response: answers(IssuerView),
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
          produces: ['application/jwk-set+json'],
          response: answers(z.object({ keys: z.array(z.record(z.string(), z.unknown())) })),
        },
      },
      async (_request, reply) => {
        // The first key exists before anything is signed, so the set is never empty.
        await issuer.store.currentKey(ledger.clock());
        return reply
          .type('application/jwk-set+json')
          .send(issuer.jwks() as { keys: Record<string, unknown>[] });
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
          produces: ['application/vc+jwt'],
          response: answers(z.string().describe('the signed BitstringStatusListCredential, a compact JWS')),
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
          response: answers(VerificationSchema),
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
          response: answers(AchievementView),
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
          response: answers(OutcomeFramework),
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
          response: answers(CredentialCheckSchema),
        },
      },
      async (request) => credentials.check(request.params.credentialId),
    );

    await app.register(studentCredentialRoutes(ledger, access, credentials));
  };
}
