import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Access, requirePrincipal, requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { type PreviewableCommand, previewCommand } from '../app/preview.ts';
import { PreviewView } from '../app/staff-views-schema.ts';
import { commandDefinitions, commandNames } from '../domain/commands.ts';
import { notFound } from '../errors.ts';
import { kebab } from './commands.ts';
import { StudentParams } from './students.ts';

// The preview of a student command: POST /students/:id/preview/<command> takes the command's own body,
// roles and scope, is decided by the same decider on the record read from the log, and appends nothing.
// It answers with the events the command would append, the decision before and after, and whether a
// conferred award would go to registry review. A refusal is the same 422 the command would give, so a
// page can show it before anything is sent.

const byKebab = new Map(
  commandNames
    .filter((n): n is PreviewableCommand => n !== 'submitApplication')
    .map((name) => [kebab(name), name] as const),
);

const commandOf = (kebabName: string): PreviewableCommand => {
  const name = byKebab.get(kebabName);
  if (!name)
    throw notFound('unknown_command', `there is no command ${kebabName} to preview (e.g. correct-mark)`, {
      command: kebabName,
    });
  return name;
};

/** Every role that may send some student command: each previews only the commands it may send. */
const PREVIEW_ROLES = [...new Set([...byKebab.values()].flatMap((name) => commandDefinitions[name].roles))];

export function previewRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.post(
      '/students/:studentId/preview/:command',
      {
        // Roles and scope before the body is validated, as for the command itself.
        preValidation: async (request) => {
          const params = request.params as { studentId: string; command: string };
          const p = requireRole(request, commandDefinitions[commandOf(params.command)].roles);
          access.readableRecord(p, params.studentId);
        },
        schema: {
          tags: ['previews'],
          roles: PREVIEW_ROLES,
          summary: 'Preview a student command: decided as the command would be, nothing appended',
          description:
            "`command` is the command's route name (e.g. `correct-mark`), the body the command's own body, and the roles its roles. Answers 200 with `events` (what would be appended), `before` and `after` (the decision today), `decisionChanges` and `review` (no-award, award-stands, would-go-to-review, already-under-review). A refusal is the 422 the command would give; a malformed body is the command's 400.",
          params: StudentParams.extend({
            command: z
              .enum([...byKebab.keys()] as [string, ...string[]])
              .describe('a student command, e.g. correct-mark'),
          }),
          body: z.record(z.string(), z.unknown()).describe("the command's own body"),
          response: answers(PreviewView),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const name = commandOf(request.params.command);
        return previewCommand(ledger, request.params.studentId, name, request.body, {
          id: p.id,
          role: p.role,
        });
      },
    );
  };
}
