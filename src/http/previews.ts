import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import type { Ledger } from '../app/ledger.ts';
import { type PreviewableCommand, previewCommand } from '../app/preview.ts';
import { PreviewView } from '../app/staff-views-schema.ts';
import { commandDefinitions, commandNames } from '../domain/commands.ts';
import { type Access, requirePrincipal, requireRole } from './auth.ts';
import { kebab, StudentParams } from './students.ts';

// A preview beside every student command: POST /students/:id/<command>/preview takes the same body,
// roles and scope as the command, is decided by the same decider on the record read from the log, and
// appends nothing. It answers with the events the command would append, the decision before and after,
// and whether a conferred award would go to registry review. A refusal is the same 422 the command
// would give, so a page can show it before anything is sent.

export function previewRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    for (const name of commandNames.filter((n): n is PreviewableCommand => n !== 'submitApplication')) {
      const definition = commandDefinitions[name];
      api.post(
        `/students/:studentId/${kebab(name)}/preview`,
        {
          preValidation: async (request) => {
            const p = requireRole(request, definition.roles);
            access.readableRecord(p, (request.params as { studentId: string }).studentId);
          },
          schema: {
            tags: ['previews'],
            summary: `Preview: ${definition.summary.charAt(0).toLowerCase()}${definition.summary.slice(1)} (nothing is appended)`,
            description: `Roles: ${definition.roles.join(', ')}. Answers 200 with \`events\` (what would be appended), \`before\` and \`after\` (the decision today), \`decisionChanges\` and \`review\` (no-award, award-stands, would-go-to-review, already-under-review). A refusal is the 422 the command would give.`,
            params: StudentParams,
            body: definition.schema,
            response: { 200: PreviewView },
          },
        },
        async (request) => {
          const p = requirePrincipal(request);
          return previewCommand(ledger, request.params.studentId, name, request.body, {
            id: p.id,
            role: p.role,
          });
        },
      );
    }
  };
}
