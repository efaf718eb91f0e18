import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ProgrammeSpecification } from '../../events/programme-specification.ts';
import { READERS, requirePrincipal, requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { PublishSpecificationInput } from '../domain/cohort.ts';
import { OutcomeFramework } from '../domain/outcomes/schema.ts';
import { commandAnswers, commandReply } from './commands.ts';
import { IdempotentHeaders } from './idempotency.ts';

// Programme specifications and outcome frameworks: readable by every signed-in user, published by admins.

const PUBLISHERS = ['admin'] as const;

export function referenceRoutes(ledger: Ledger) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get(
      '/specifications',
      {
        schema: {
          tags: ['reference'],
          roles: READERS,
          summary: 'Every published programme specification version',
          response: answers(z.object({ specifications: z.array(ProgrammeSpecification) })),
        },
      },
      async (request) => {
        requirePrincipal(request);
        return { specifications: ledger.queries.specifications() };
      },
    );

    api.get(
      '/specifications/:programmeId/:version',
      {
        schema: {
          tags: ['reference'],
          roles: READERS,
          summary: 'One specification version',
          params: z.object({ programmeId: z.string(), version: z.coerce.number().int().min(1) }),
          response: answers(ProgrammeSpecification),
        },
      },
      async (request) => {
        requirePrincipal(request);
        return ledger.queries.specification(request.params.programmeId, request.params.version);
      },
    );

    api.post(
      '/specifications',
      {
        config: { idempotency: 'command' },
        preValidation: async (request) => {
          requireRole(request, PUBLISHERS);
        },
        schema: {
          tags: ['reference'],
          roles: PUBLISHERS,
          summary: 'Publish a new specification version (admins); a published version never changes',
          body: PublishSpecificationInput,
          headers: IdempotentHeaders,
          response: commandAnswers,
        },
      },
      async (request, reply) => {
        const p = requirePrincipal(request); // the role was checked before validation
        return commandReply(
          reply,
          await ledger.execute(null, 'publishSpecification', request.body, {
            actor: { id: p.id, role: p.role },
          }),
        );
      },
    );

    api.get(
      '/frameworks',
      {
        schema: {
          tags: ['reference'],
          roles: READERS,
          summary: 'Learning-outcome frameworks (versioned reference data)',
          response: answers(z.object({ frameworks: z.array(OutcomeFramework) })),
        },
      },
      async (request) => {
        requirePrincipal(request);
        return { frameworks: ledger.queries.frameworks() };
      },
    );
  };
}
