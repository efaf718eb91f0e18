import type { FastifyInstance } from 'fastify';
import type { CheckpointBook } from '../store/checkpoints.ts';
import { requireRole } from './auth.ts';

// The log's signed checkpoints (src/store/checkpoints.ts), newest first, for registry and admins: what an
// exam board's minutes record, and the public key anyone can check the signatures with.

export function checkpointRoutes(book: CheckpointBook | null) {
  return async function plugin(app: FastifyInstance) {
    app.get(
      '/checkpoints',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Signed checkpoints of the log (count, position, digest), newest first, with the public key',
        },
      },
      async (request) => {
        requireRole(request, ['registry', 'admin']);
        if (!book)
          return { kept: false, checkpoints: [], problems: [], reason: 'the memory store keeps nothing' };
        const { checkpoints, problems } = book.list();
        return { kept: true, ...book.publicKey(), checkpoints: checkpoints.reverse(), problems };
      },
    );
  };
}
