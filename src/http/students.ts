import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IsoDate } from '../../events/common.ts';
import { type Access, requirePrincipal, requireRole } from '../app/access.ts';
import type { CommandResult } from '../app/handle-command.ts';
import { parseBigint } from '../app/json.ts';
import type { Ledger } from '../app/ledger.ts';
import { type CommandName, commandDefinitions, commandNames } from '../domain/commands.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { invalid } from '../errors.ts';

// Student records: one route per command (POST, 201 with the events appended and an ETag of the new
// revision), and the reads a registry officer, tutor, examiner or the student uses.

export const StudentParams = z.object({
  studentId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a student id (a uuid)'),
});
export const DateQuery = z.object({
  on: IsoDate.optional().describe('evaluate on this date (default today, Europe/London)'),
});

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
  return reply.status(201).send({
    streamId: result.streamId,
    studentId: result.streamId.startsWith('student-') ? result.streamId.slice('student-'.length) : undefined,
    revision: result.revision,
    position: result.position,
    events: result.events.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      revision: e.revision,
      position: e.position,
      recordedAt: e.recordedAt,
      metadata: e.metadata,
      data: e.data,
    })),
  });
}

export function recordView(ledger: Ledger, record: StudentRecord, showPersonal: boolean) {
  const {
    markEventChain: _a,
    signOffEvents: _b,
    evidenceEvents: _c,
    eventTypes: _d,
    application,
    ...rest
  } = record;
  const details = showPersonal && application ? ledger.queries.personalDetails(record) : undefined;
  return {
    ...rest,
    status: record.withdrawal
      ? 'withdrawn'
      : record.interruption
        ? 'interrupted'
        : record.awards.some((a) => !a.withdrawn)
          ? 'awarded'
          : record.enrolment
            ? 'enrolled'
            : record.offer
              ? 'offered'
              : 'applied',
    application: application
      ? {
          programmeId: application.programmeId,
          intake: application.intake,
          submittedOn: application.submittedOn,
          school: application.school,
          ref: application.ref,
        }
      : null,
    personal: showPersonal ? (details ?? { erased: true }) : undefined,
  };
}

export function studentRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.post(
      '/students',
      {
        preValidation: async (request) => {
          requireRole(request, commandDefinitions.submitApplication.roles);
        },
        schema: {
          tags: ['commands'],
          summary: commandDefinitions.submitApplication.summary,
          body: commandDefinitions.submitApplication.schema,
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
          // Roles and scope before the body is validated: 401, then 403, then 404, then 400, then 422.
          preValidation: async (request) => {
            const p = requireRole(request, definition.roles);
            access.readableRecord(p, (request.params as { studentId: string }).studentId);
          },
          schema: {
            tags: ['commands'],
            summary: definition.summary,
            description: `Roles: ${definition.roles.join(', ')}. Send If-Match with the ETag of the record to refuse the command if it changed meanwhile.`,
            params: StudentParams,
            body: definition.schema,
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

    api.get(
      '/students',
      {
        schema: {
          tags: ['students'],
          summary: 'Students you may read, with their current decision',
          querystring: z.object({ cohortId: z.string().optional() }),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        if (p.role === 'student')
          return { students: [studentSummary(ledger, access, p, ledger.queries.record(p.id))] };
        const out = [];
        for (const record of ledger.queries.records()) {
          if (request.query.cohortId && record.enrolment?.cohortId !== request.query.cohortId) continue;
          if (!access.canReadStudent(p, record)) continue;
          out.push(studentSummary(ledger, access, p, record));
        }
        return { students: out };
      },
    );

    api.get(
      '/students/:studentId',
      {
        schema: { tags: ['students'], summary: 'A student record at a glance', params: StudentParams },
      },
      async (request, reply) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        reply.header('ETag', `"${record.revision}"`);
        return recordView(ledger, record, access.canSeePersonalData(p, record));
      },
    );

    api.get(
      '/students/:studentId/decision',
      {
        schema: {
          tags: ['students'],
          summary: 'The award decision with its rule-by-rule explanation',
          params: StudentParams,
          querystring: DateQuery,
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        return {
          decision: ledger.queries.decision(record.studentId, request.query.on),
          reviewFlag: ledger.queries.reviewFlag(record.studentId),
        };
      },
    );

    api.get(
      '/students/:studentId/credits',
      {
        schema: {
          tags: ['students'],
          summary: 'The credit ledger: per module, how credits stand',
          params: StudentParams,
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        return { credits: ledger.queries.credits(record.studentId) };
      },
    );

    api.get(
      '/students/:studentId/deadlines',
      {
        schema: {
          tags: ['students'],
          summary: 'Statutory and programme deadlines',
          params: StudentParams,
          querystring: DateQuery,
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const record = access.readableRecord(p, request.params.studentId);
        return ledger.queries.deadlines(record.studentId, request.query.on);
      },
    );
  };
}

function studentSummary(
  ledger: Ledger,
  access: Access,
  p: import('../auth/tokens.ts').Principal,
  record: StudentRecord,
) {
  const decision = ledger.queries.decision(record.studentId);
  const personal = access.canSeePersonalData(p, record) ? ledger.queries.personalDetails(record) : null;
  return {
    studentId: record.studentId,
    name: personal?.fullName ?? null,
    cohortId: record.enrolment?.cohortId ?? null,
    programme: record.enrolment
      ? `${record.enrolment.programmeId} v${record.enrolment.specVersion}`
      : (record.application?.programmeId ?? null),
    outcome: decision?.outcome ?? null,
    creditsEarned: decision?.credits.earned ?? 0,
    revision: record.revision,
  };
}

export function requireStudentRead(access: Access, request: FastifyRequest, studentId: string) {
  const p = requirePrincipal(request);
  return { principal: p, record: access.readableRecord(p, studentId) };
}
