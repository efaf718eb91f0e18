import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Code, IsoDateTime } from '../../events/common.ts';
import { type Access, requirePrincipal, requireRole, STAFF } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { Ledger } from '../app/ledger.ts';
import { CohortOverviewViewSchema, CohortSummarySchema } from '../app/queries/cohorts.ts';
import type { TokenStore } from '../auth/tokens.ts';
import { type CohortCommandName, cohortCommandDefinitions } from '../domain/cohort.ts';
import { commandAnswers, commandReply, expectedRevisionOf } from './commands.ts';
import { CommandHeaders } from './idempotency.ts';
import { PageEnvelope, PageQuery, seekPage } from './paging.ts';
import { requireStaffToken } from './registry.ts';
import { DateQuery } from './students.ts';

// Cohorts: creation, staff, exam boards, assessment windows, and the overview of who is missing what.

const ExamBoardQuery = DateQuery.extend({
  knownAt: IsoDateTime.optional().describe('only what the ledger had recorded by this instant'),
});

const CohortParams = z.object({
  cohortId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a cohort id'),
});

const EXPORT_ROLES = ['registry', 'admin', 'examiner'] as const;

export function cohortRoutes(ledger: Ledger, access: Access, tokens: TokenStore) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    // The cohort commands: creation at /cohorts, the others under the cohort they change.
    const routes: { name: CohortCommandName; url: string }[] = [
      { name: 'createCohort', url: '/cohorts' },
      { name: 'assignCohortStaff', url: '/cohorts/:cohortId/staff' },
      { name: 'recordExamBoard', url: '/cohorts/:cohortId/exam-boards' },
      { name: 'setAssessmentWindow', url: '/cohorts/:cohortId/assessment-windows' },
    ];
    for (const { name, url } of routes) {
      const definition = cohortCommandDefinitions[name];
      api.post(
        url,
        {
          config: { idempotency: 'command' },
          preValidation: async (request) => {
            requireRole(request, definition.roles);
          },
          schema: {
            tags: ['cohorts'],
            summary: definition.summary,
            roles: definition.roles,
            ...(name === 'createCohort' ? {} : { params: CohortParams }),
            body: definition.schema as z.ZodObject,
            headers: CommandHeaders,
            response: commandAnswers,
          },
        },
        async (request, reply) => {
          const p = requirePrincipal(request); // the role was checked before validation
          const body = request.body as { cohortId?: string };
          const cohortId = (request.params as { cohortId?: string }).cohortId ?? body.cohortId!;
          // an unknown cohort is the decider's 404 first; then only people who can sign in are assigned
          if (name === 'assignCohortStaff' && ledger.queries.findCohort(cohortId)) {
            const staff = request.body as { staffId: string; role: 'tutor' | 'examiner' };
            requireStaffToken(tokens, staff.staffId, staff.role);
          }
          const result = await ledger.execute(cohortId, name, request.body, {
            actor: { id: p.id, role: p.role },
            expectedRevision: expectedRevisionOf(request),
          });
          return commandReply(reply, result);
        },
      );
    }

    api.get(
      '/cohorts',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Cohorts you may read, a page at a time',
          roles: STAFF,
          description:
            'In the order of their ids, `limit` at a time (default 100, at most 500): send `nextCursor` back as `cursor` for the next page; `total` is how many match. Filter by `programmeId`.',
          querystring: PageQuery.extend({
            programmeId: Code.optional().describe('only the cohorts of this programme'),
          }),
          response: answers(PageEnvelope.extend({ cohorts: z.array(CohortSummarySchema) })),
        },
      },
      async (request) => {
        const p = requireRole(request, STAFF);
        const mine = access.cohortsOf(p);
        const { programmeId } = request.query;
        // filtered and paged in the read-model database (the programme and staff columns)
        const cohortIds = mine === 'all' ? undefined : [...mine];
        const page = seekPage(
          'cohorts',
          (after, limit) => ledger.queries.cohortsPage({ after, limit }, { cohortIds, programmeId }),
          request.query,
        );
        return {
          cohorts: page.cohorts,
          nextCursor: page.nextCursor,
          total: page.total,
        };
      },
    );

    api.get(
      '/cohorts/:cohortId',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Cohort overview: per member, what is missing',
          roles: STAFF,
          params: CohortParams,
          querystring: DateQuery,
          response: answers(CohortOverviewViewSchema),
        },
      },
      async (request) => {
        const p = requireRole(request, STAFF);
        access.assertCanReadCohort(p, request.params.cohortId);
        return ledger.queries.cohortOverviewView(request.params.cohortId, request.query.on);
      },
    );

    api.get(
      '/cohorts/:cohortId/exam-board.csv',
      {
        schema: {
          tags: ['cohorts'],
          summary: 'Exam-board export: marks (provisional or ratified) and decisions, as CSV',
          roles: EXPORT_ROLES,
          params: CohortParams,
          querystring: ExamBoardQuery,
          produces: ['text/csv'],
          response: answers(
            z.string().describe('one row per student, module and attempt, after a header row'),
          ),
        },
      },
      async (request, reply) => {
        const p = requireRole(request, EXPORT_ROLES);
        access.assertCanReadCohort(p, request.params.cohortId);
        reply.header('Content-Type', 'text/csv; charset=utf-8');
        reply.header(
          'Content-Disposition',
          `attachment; filename="exam-board-${request.params.cohortId}.csv"`,
        );
        const { on, knownAt } = request.query;
        return ledger.queries.examBoardCsv(request.params.cohortId, {
          ...(on ? { on } : {}),
          ...(knownAt ? { knownAt: new Date(knownAt).toISOString() } : {}),
        });
      },
    );
  };
}
