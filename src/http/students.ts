import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IsoDate } from '../../events/common.ts';
import { type Access, requirePrincipal } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { DeadlinesSchema } from '../app/queries/deadlines.ts';
import { CreditsViewSchema, DecisionViewSchema } from '../app/queries/decisions.ts';
import { RecordViewSchema, StudentSummarySchema } from '../app/queries/record-view.ts';

// Student records: the reads a registry officer, tutor, examiner or the student uses (the commands that
// change a record are src/http/commands.ts).

export const StudentParams = z.object({
  studentId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a student id (a uuid)'),
});
export const DateQuery = z.object({
  on: IsoDate.optional().describe('evaluate on this date (default today, Europe/London)'),
});

export function requireStudentRead(access: Access, request: FastifyRequest, studentId: string) {
  const p = requirePrincipal(request);
  return { principal: p, record: access.readableRecord(p, studentId) };
}

export function studentRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get(
      '/students',
      {
        schema: {
          tags: ['students'],
          summary: 'Students you may read, with their current decision',
          querystring: z.object({ cohortId: z.string().optional() }),
          response: answers(z.object({ students: z.array(StudentSummarySchema) })),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const readable =
          p.role === 'student'
            ? [ledger.queries.record(p.id)]
            : [...ledger.queries.records(request.query.cohortId)].filter((r) => access.canReadStudent(p, r));
        return {
          students: readable.map((r) => ledger.queries.studentSummary(r, access.canSeePersonalData(p, r))),
        };
      },
    );

    api.get(
      '/students/:studentId',
      {
        schema: {
          tags: ['students'],
          summary: 'A student record at a glance (with an ETag of its revision)',
          params: StudentParams,
          response: answers(RecordViewSchema),
        },
      },
      async (request, reply) => {
        const { principal, record } = requireStudentRead(access, request, request.params.studentId);
        reply.header('ETag', `"${record.revision}"`);
        return ledger.queries.recordView(record, access.canSeePersonalData(principal, record));
      },
    );

    api.get(
      '/students/:studentId/decision',
      {
        schema: {
          tags: ['students'],
          summary: 'The award decision with its rule-by-rule explanation, and any review flag',
          params: StudentParams,
          querystring: DateQuery,
          response: answers(DecisionViewSchema),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
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
          response: answers(CreditsViewSchema),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
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
          response: answers(DeadlinesSchema),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        return ledger.queries.deadlines(record.studentId, request.query.on);
      },
    );
  };
}
