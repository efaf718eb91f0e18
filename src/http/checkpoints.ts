import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { type CheckpointBook, CheckpointListSchema, listCheckpoints } from '../app/checkpoints.ts';

// The log's signed checkpoints (src/store/checkpoints.ts), newest first, for registry and admins: what an
// exam board's minutes record, and the public key anyone can check the signatures with.

export function checkpointRoutes(book: CheckpointBook | null) {
  return async function plugin(app: FastifyInstance) {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/checkpoints',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Signed checkpoints of the log (count, position, digest), newest first, with the public key',
          response: answers(CheckpointListSchema),
        },
      },
      async (request) => {
        requireRole(request, ['registry', 'admin']);
        const list = listCheckpoints(book);
        return { ...list, checkpoints: list.checkpoints.reverse() };
      },
    );
  };
}
