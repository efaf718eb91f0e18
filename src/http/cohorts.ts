import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Ledger } from '../app/ledger.ts';
import { cohortCommandDefinitions } from '../domain/cohort.ts';
import { type Access, requireRole } from './auth.ts';
import { examBoardCsv } from './export.ts';
import { commandReply, DateQuery, expectedRevisionOf } from './students.ts';

// Cohorts: creation, staff, exam boards, and the overview of who is missing what.

const CohortParams = z.object({
  cohortId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a cohort id'),
});

export function cohortRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.post(
      '/cohorts',
      {
        preValidation: async (request) => {
          requireRole(request, cohortCommandDefinitions.createCohort.roles);
        },
        schema: {
          tags: ['cohorts'],
          summary: cohortCommandDefinitions.createCohort.summary,
          body: cohortCommandDefinitions.createCohort.schema,
        },
      },
      async (request, reply) => {
        const p = requireRole(request, cohortCommandDefinitions.createCohort.roles);
        return commandReply(
          reply,
          await ledger.executeCohort(request.body.cohortId, 'createCohort', request.body, {
            actor: { id: p.id, role: p.role },
          }),
        );
      },
    );

    api.post(
      '/cohorts/:cohortId/staff',
      {
        preValidation: async (request) => {
          requireRole(request, cohortCommandDefinitions.assignCohortStaff.roles);
        },
        schema: {
          tags: ['cohorts'],
          summary: cohortCommandDefinitions.assignCohortStaff.summary,
          params: CohortParams,
          body: cohortCommandDefinitions.assignCohortStaff.schema,
        },
      },
      async (request, reply) => {
        const p = requireRole(request, cohortCommandDefinitions.assignCohortStaff.roles);
        return commandReply(
          reply,
          await ledger.executeCohort(request.params.cohortId, 'assignCohortStaff', request.body, {
            actor: { id: p.id, role: p.role },
            expectedRevision: expectedRevisionOf(request),
          }),
        );
      },
    );

    api.post(
      '/cohorts/:cohortId/exam-boards',
      {
        preValidation: async (request) => {
          requireRole(request, cohortCommandDefinitions.recordExamBoard.roles);
        },
        schema: {
          tags: ['cohorts'],
          summary: cohortCommandDefinitions.recordExamBoard.summary,
          params: CohortParams,
          body: cohortCommandDefinitions.recordExamBoard.schema,
        },
      },
      async (request, reply) => {
        const p = requireRole(request, cohortCommandDefinitions.recordExamBoard.roles);
        return commandReply(
          reply,
          await ledger.executeCohort(request.params.cohortId, 'recordExamBoard', request.body, {
            actor: { id: p.id, role: p.role },
            expectedRevision: expectedRevisionOf(request),
          }),
        );
      },
    );

    api.get(
      '/cohorts',
      { schema: { tags: ['cohorts'], summary: 'Cohorts you may read' } },
      async (request) => {
        const p = requireRole(request, ['registry', 'admin', 'tutor', 'examiner']);
        const mine = access.cohortsOf(p);
        return {
          cohorts: ledger
            .cohortList()
            .filter((c) => mine === 'all' || mine.has(c.cohortId))
            .map(({ members, tutors, examiners, ...c }) => ({
              ...c,
              members: members.size,
              tutors,
              examiners,
            })),
        };
      },
    );

    api.get(
      '/cohorts/:cohortId',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Cohort overview: per member, what is missing',
          params: CohortParams,
          querystring: DateQuery,
        },
      },
      async (request) => {
        const p = requireRole(request, ['registry', 'admin', 'tutor', 'examiner']);
        access.assertCanReadCohort(p, request.params.cohortId);
        const overview = ledger.cohortOverview(request.params.cohortId, request.query.on);
        const { members, ...cohort } = overview.cohort;
        return { cohort: { ...cohort, members: members.size }, counts: overview.counts, rows: overview.rows };
      },
    );

    api.get(
      '/cohorts/:cohortId/exam-board.csv',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Exam-board export: marks (provisional or ratified) and decisions, as CSV',
          params: CohortParams,
          querystring: DateQuery,
        },
      },
      async (request, reply) => {
        const p = requireRole(request, ['registry', 'admin', 'examiner']);
        access.assertCanReadCohort(p, request.params.cohortId);
        reply.header('Content-Type', 'text/csv; charset=utf-8');
        reply.header(
          'Content-Disposition',
          `attachment; filename="exam-board-${request.params.cohortId}.csv"`,
        );
        return examBoardCsv(ledger, request.params.cohortId, request.query.on ?? ledger.today());
      },
    );
  };
}
