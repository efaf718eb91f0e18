import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { OFFICE, requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { type CheckpointBook, CheckpointListSchema, listCheckpoints } from '../app/checkpoints.ts';
import { PageEnvelope, PageQuery, pageOf, sortedBy } from './paging.ts';

// The log's signed checkpoints (src/store/checkpoints.ts), newest first, for registry and admins: what an
// exam board's minutes record, and the public key anyone can check the signatures with.

export function checkpointRoutes(book: CheckpointBook | null) {
  return async function plugin(app: FastifyInstance) {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/checkpoints',
      {
        schema: {
          tags: ['audit'],
          roles: OFFICE,
          summary:
            'Signed checkpoints of the log (count, position, digest), newest first, with the public key',
          description:
            'Newest first, `limit` at a time (default 100, at most 500): send `nextCursor` back as `cursor` for older ones; `total` is how many there are.',
          querystring: PageQuery,
          response: answers(CheckpointListSchema.extend(PageEnvelope.shape)),
        },
      },
      async (request) => {
        requireRole(request, OFFICE);
        const list = listCheckpoints(book);
        // newest first: the key counts down as the log's event count (then the time written) goes up
        const down = (n: number) => String(Number.MAX_SAFE_INTEGER - n).padStart(16, '0');
        const newestFirst = (c: { count: number; writtenAt: string }) =>
          `${down(c.count)}:${down(Date.parse(c.writtenAt))}`;
        return {
          ...list,
          ...pageOf({ checkpoints: sortedBy(list.checkpoints, newestFirst) }, request.query),
        };
      },
    );
  };
}
