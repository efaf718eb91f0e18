import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { ReadinessSchema } from '../app/queries/service.ts';

// Readiness, for a load balancer: ready while the projections follow the store and writes to the log and
// the keys succeed (src/app/queries/service.ts); otherwise 503 with Retry-After.

export function readyRoute(ledger: Ledger) {
  return async function plugin(app: FastifyInstance) {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/ready',
      {
        schema: {
          tags: ['service'],
          summary: 'Readiness: projections are following the store and writes succeed (503 when not)',
          security: [],
          response: { ...answers(ReadinessSchema), 503: ReadinessSchema },
        },
      },
      async (_request, reply) => {
        const readiness = await ledger.queries.readiness();
        if (readiness.status !== 'ready') reply.header('Retry-After', '5');
        return reply.status(readiness.status === 'ready' ? 200 : 503).send(readiness);
      },
    );
  };
}
