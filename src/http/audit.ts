import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IsoDate, IsoDateTime } from '../../events/common.ts';
import {
  type Access,
  forbidden,
  OFFICE,
  READERS,
  requirePrincipal,
  requireRole,
  STAFF,
} from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { AnchoredReportSchema, type CheckpointBook, verifyLedger } from '../app/checkpoints.ts';
import { parseBigint } from '../app/json.ts';
import type { Ledger } from '../app/ledger.ts';
import { AtRiskSchema } from '../app/queries/deadlines.ts';
import { ReviewSchema } from '../app/queries/decisions.ts';
import {
  AsOfViewSchema,
  AuditEntrySchema,
  ReplayStepSchema,
  ReproductionSchema,
} from '../app/queries/history.ts';
import type { AsOf } from '../app/queries/index.ts';
import { invalid } from '../errors.ts';
import { PageEnvelope, PageQuery, pageOf, seekPage, sortedBy } from './paging.ts';
import { requireStudentRead, StudentParams } from './students.ts';

// How a decision was reached: the audit trail, the examiner's step-by-step replay, as-of answers, the
// reproducibility check of a conferred award, the review flags, and verification of the hash chain.

export const AsOfQuery = z.object({
  position: z.string().regex(/^\d+$/, 'must be a log position (digits)').optional(),
  knownAt: IsoDateTime.optional().describe('only what the ledger had recorded by this instant'),
  occurredBy: IsoDate.optional().describe(
    'only facts that happened on or before this date, e.g. an exam board',
  ),
  on: IsoDate.optional().describe('evaluate time limits on this date'),
});

export function asOfBound(q: z.infer<typeof AsOfQuery>): AsOf {
  const bound: AsOf = {};
  if (q.position !== undefined) {
    const position = parseBigint(q.position);
    if (position === null)
      throw invalid('invalid_position', [{ field: 'position', reason: 'is out of range' }]);
    bound.position = position;
  }
  if (q.knownAt) bound.knownAt = new Date(q.knownAt).toISOString();
  if (q.occurredBy) bound.occurredBy = q.occurredBy;
  if (q.on) bound.on = q.on;
  return bound;
}

export function auditRoutes(ledger: Ledger, access: Access, checkpoints: CheckpointBook | null = null) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get(
      '/students/:studentId/audit-trail',
      {
        schema: {
          tags: ['audit'],
          roles: READERS,
          summary: "A student's full history, with corrections linked to what they correct",
          params: StudentParams,
          response: answers(z.object({ studentId: z.string(), entries: z.array(AuditEntrySchema) })),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        const trail = await ledger.queries.auditTrail(record.studentId);
        return { studentId: record.studentId, entries: trail.entries };
      },
    );

    api.get(
      '/students/:studentId/replay',
      {
        schema: {
          tags: ['audit'],
          roles: READERS,
          summary: 'Step-by-step replay: the decision and credits after each event',
          params: StudentParams,
          querystring: AsOfQuery,
          response: answers(z.object({ studentId: z.string(), steps: z.array(ReplayStepSchema) })),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        return {
          studentId: record.studentId,
          steps: await ledger.queries.replay(record.studentId, asOfBound(request.query)),
        };
      },
    );

    api.get(
      '/students/:studentId/as-of',
      {
        schema: {
          tags: ['audit'],
          roles: READERS,
          summary: 'The record, decision and credits as they stood at a position, an instant or a date',
          params: StudentParams,
          querystring: AsOfQuery,
          response: answers(AsOfViewSchema),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        const q = request.query;
        if (q.position === undefined && !q.knownAt && !q.occurredBy)
          throw invalid('missing_bound', [
            { field: 'position', reason: 'give position, knownAt or occurredBy' },
          ]);
        return ledger.queries.asOfView(record.studentId, asOfBound(q));
      },
    );

    api.get(
      '/students/:studentId/reproduce',
      {
        schema: {
          tags: ['audit'],
          roles: READERS,
          summary: 'Recompute each conferred decision from the log at its position: is it reproduced?',
          params: StudentParams,
          response: answers(z.object({ studentId: z.string(), reproductions: z.array(ReproductionSchema) })),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        return {
          studentId: record.studentId,
          reproductions: await ledger.queries.reproduce(record.studentId),
        };
      },
    );

    api.get(
      '/reviews',
      {
        schema: {
          tags: ['audit'],
          roles: OFFICE,
          summary: 'Conferred awards that a later event would change: for registry review, a page at a time',
          description:
            'In the order of student ids, `limit` at a time (default 100, at most 500): send `nextCursor` back as `cursor` for the next page; `total` is how many match.',
          querystring: PageQuery,
          response: answers(PageEnvelope.extend({ reviews: z.array(ReviewSchema) })),
        },
      },
      async (request) => {
        requireRole(request, OFFICE);
        // paged in the read-model database (the review flags' rows), each page judged on today's date
        return seekPage(
          'reviews',
          (after, limit) => ledger.queries.reviewsPage({ after, limit }),
          request.query,
        );
      },
    );

    api.get(
      '/verify',
      {
        schema: {
          tags: ['audit'],
          roles: OFFICE,
          summary:
            'Walk the hash chain, report the first broken link, and check the log against its signed checkpoints',
          response: answers(AnchoredReportSchema),
        },
      },
      async (request) => {
        requireRole(request, OFFICE);
        return verifyLedger(ledger, checkpoints);
      },
    );

    api.get(
      '/deadlines/at-risk',
      {
        schema: {
          tags: ['students'],
          roles: STAFF,
          summary:
            'SENCOs under the duty at risk of the three-year deadline or of the qualification no longer counting (National Award: completed before 1 September 2027), with the qualification missing; the withdrawn, lapsed and failed apart',
          description:
            'Both lists nearest deadline first, `limit` of each at a time (default 100, at most 500): send `nextCursor` back as `cursor` for the next page of both; `total` is how many are in both lists.',
          querystring: PageQuery.extend({ cohortId: z.string().optional(), on: IsoDate.optional() }),
          response: answers(AtRiskSchema.extend(PageEnvelope.shape)),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        if (p.role === 'student') throw forbidden('students cannot list other students');
        const cohorts = access.cohortsOf(p);
        if (request.query.cohortId) access.assertCanReadCohort(p, request.query.cohortId);
        const visible = (r: { cohortId: string | null }) =>
          cohorts === 'all' || (r.cohortId !== null && cohorts.has(r.cohortId));
        const { atRisk, notStudying } = ledger.queries.atRisk(
          request.query.on ?? ledger.queries.today(),
          request.query.cohortId,
        );
        // nearest deadline first (days to it, passed ones below zero), then by student id
        const nearest = (d: { daysToNearest: number | null; studentId: string }) =>
          `${String((d.daysToNearest ?? 0) + 100_000_000).padStart(10, '0')}:${d.studentId}`;
        return pageOf(
          {
            atRisk: sortedBy(atRisk.filter(visible), nearest),
            notStudying: sortedBy(notStudying.filter(visible), nearest),
          },
          request.query,
        );
      },
    );
  };
}
