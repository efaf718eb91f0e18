import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Access, requirePrincipal, requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import type { AwardCredentials } from '../credentials/award-credentials.ts';
import { awardLetterPdf } from '../credentials/pdf/award-letter.ts';
import { letterData, transcriptData } from '../credentials/pdf/documents.ts';
import { transcriptPdf } from '../credentials/pdf/transcript.ts';
import { IssuedCredentialSchema } from '../credentials/responses.ts';
import { StudentParams } from './students.ts';

// A student's credentials and award documents: the credential itself for the student (their own) and
// registry; the award letter and transcript as PDF for them, admins and the cohort's external examiner
// (an examiner's copy names the student id, not the name).

const CREDENTIAL_ROLES = ['registry', 'student'] as const;
const DOCUMENT_ROLES = ['registry', 'admin', 'examiner', 'student'] as const;

const Pdf = z.string().meta({ format: 'binary', description: 'a PDF document' });

export function studentCredentialRoutes(ledger: Ledger, access: Access, credentials: AwardCredentials) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    const scoped = (roles: readonly (typeof DOCUMENT_ROLES)[number][]) => ({
      // Role and scope before anything else: 401, then 403, then 404.
      preValidation: async (request: FastifyRequest) => {
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
          roles: CREDENTIAL_ROLES,
          summary:
            'Issue the credential for the standing award (or give the one issued): 201 new, 200 existing',
          description: 'Refused (422) after an erasure or without a standing award.',
          params: StudentParams,
          response: { ...answers(IssuedCredentialSchema), 201: IssuedCredentialSchema },
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
          roles: CREDENTIAL_ROLES,
          summary: 'The credentials issued to a student, each with its status and the signed credential',
          params: StudentParams,
          response: answers(z.object({ credentials: z.array(IssuedCredentialSchema) })),
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
          roles: DOCUMENT_ROLES,
          summary: 'The award letter (PDF) with a QR code to check the award',
          params: StudentParams,
          produces: ['application/pdf'],
          response: answers(Pdf),
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
          roles: DOCUMENT_ROLES,
          summary: 'The transcript (PDF): modules, credits, ratified marks, boards, awards',
          params: StudentParams,
          produces: ['application/pdf'],
          response: answers(Pdf),
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
