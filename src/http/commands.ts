import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Access, requirePrincipal, requireRole } from '../app/access.ts';
import { createdAnswers } from '../app/answers.ts';
import { CommandAnswerSchema, commandAnswer } from '../app/command-answer.ts';
import type { CommandResult } from '../app/handle-command.ts';
import { parseBigint } from '../app/json.ts';
import type { Ledger } from '../app/ledger.ts';
import { type CommandName, commandDefinitions, commandNames } from '../domain/commands.ts';
import { invalid } from '../errors.ts';
import { CommandHeaders } from './idempotency.ts';
import { StudentParams } from './students.ts';

// A student's record changes only through commands: one route per command (POST, 201 with the events
// appended and an ETag of the new revision). Roles and scope are checked before the body is validated:
// 401, then 403, then 404, then 400, then 422.

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `If-Match: "12"` names the revision the client's command is based on. */
export function expectedRevisionOf(request: FastifyRequest): bigint | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header === '*') return undefined;
  const revision = parseBigint(String(header).replace(/^W\//, '').replace(/"/g, '').trim());
  if (revision === null)
    throw invalid('invalid_if_match', [
      { field: 'If-Match', reason: 'must be the stream revision from an ETag, e.g. "12"' },
    ]);
  return revision;
}

export function commandReply(reply: FastifyReply, result: CommandResult) {
  reply.header('ETag', `"${result.revision}"`);
  return reply.status(201).send(commandAnswer(result));
}

export const commandAnswers = createdAnswers(CommandAnswerSchema);

export function studentCommandRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.post(
      '/students',
      {
        config: { idempotency: 'command' },
        preValidation: async (request) => {
          requireRole(request, commandDefinitions.submitApplication.roles);
        },
        schema: {
          tags: ['commands'],
          summary: commandDefinitions.submitApplication.summary,
          roles: commandDefinitions.submitApplication.roles,
          description:
            'Creates the record. Send an Idempotency-Key to make a retry safe: an applicant already on the programme is refused 422 duplicate_applicant.',
          body: commandDefinitions.submitApplication.schema,
          headers: CommandHeaders,
          response: commandAnswers,
        },
      },
      async (request, reply) => {
        const p = requirePrincipal(request); // the role was checked before validation
        const result = await ledger.execute(null, 'submitApplication', request.body, {
          actor: { id: p.id, role: p.role },
        });
        return commandReply(reply, result);
      },
    );

    for (const name of commandNames.filter(
      (n): n is Exclude<CommandName, 'submitApplication'> => n !== 'submitApplication',
    )) {
      const definition = commandDefinitions[name];
      api.post(
        `/students/:studentId/${kebab(name)}`,
        {
          config: { idempotency: 'command' },
          preValidation: async (request) => {
            const p = requireRole(request, definition.roles);
            access.readableRecord(p, (request.params as { studentId: string }).studentId);
          },
          schema: {
            tags: ['commands'],
            summary: definition.summary,
            roles: definition.roles,
            description:
              'Send If-Match with the ETag of the record to refuse the command if it changed meanwhile, and an Idempotency-Key to make a retry safe.',
            params: StudentParams,
            body: definition.schema,
            headers: CommandHeaders,
            response: commandAnswers,
          },
        },
        async (request, reply) => {
          const p = requirePrincipal(request); // role and scope were checked before validation
          const result = await ledger.execute(request.params.studentId, name, request.body, {
            actor: { id: p.id, role: p.role },
            expectedRevision: expectedRevisionOf(request),
          });
          return commandReply(reply, result);
        },
      );
    }
  };
}
