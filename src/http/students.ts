import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Code, IsoDate } from '../../events/common.ts';
import { type Access, READERS, requirePrincipal } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { standingOf } from '../app/cohort-register.ts';
import type { Ledger } from '../app/ledger.ts';
import { DeadlinesSchema } from '../app/queries/deadlines.ts';
import { CreditsViewSchema, DecisionViewSchema } from '../app/queries/decisions.ts';
import { RecordViewSchema, StudentSummarySchema } from '../app/queries/record-view.ts';
import { matchesOf, StudentStatus } from '../app/student-search.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { mapPage, PageEnvelope, PageQuery, pageOf, seekPage, sortedBy } from './paging.ts';

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
          roles: READERS,
          summary: 'Students you may read, with their current decision, a page at a time',
          description:
            "In the order of their student ids, `limit` at a time (default 100, at most 500): send `nextCursor` back as `cursor` for the next page; `total` is how many match. Filter by `cohortId`, by `status` (applied, enrolled, interrupted, withdrawn, awarded) and by `q`: a name, email or teacher reference number where you may see them (registry, admin, the cohort's tutor), or a student number. GET /students/search sorts by name, status or cohort and pages by number.",
          querystring: PageQuery.extend({
            cohortId: Code.optional().describe('only the students enrolled on this cohort'),
            status: StudentStatus.optional().describe('only the students standing so'),
            q: z
              .string()
              .trim()
              .min(1)
              .max(200)
              .optional()
              .describe('name, email, teacher reference number (where you may see them) or student number'),
          }),
          response: answers(PageEnvelope.extend({ students: z.array(StudentSummarySchema) })),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        const { cohortId, status } = request.query;
        const q = request.query.q?.toLowerCase();
        // personal details are unsealed to be matched only where this caller may see them
        const found = (r: StudentRecord) =>
          !q ||
          matchesOf(
            q,
            r.studentId,
            access.canSeePersonalData(p, r) ? ledger.queries.personalDetails(r) : null,
          ).length > 0;
        const summaries = (records: StudentRecord[]) =>
          // Each summary holds a decision: the page is worked out a few at a time, others served between.
          mapPage(records, (r) => ledger.queries.studentSummary(r, access.canSeePersonalData(p, r)));
        if (p.role !== 'student' && !q) {
          // filtered and paged in the read-model database: only the page's records are read
          const mine = access.cohortsOf(p);
          const withinCohorts = mine === 'all' ? undefined : [...mine];
          // only the page's ids are read at once; each record is read as its summary is worked out, so a
          // page of 500 lets a health check (and everyone else) in every few records
          const page = seekPage(
            'students',
            (after, limit) =>
              ledger.queries.studentIdsPage({ cohortId, status, withinCohorts }, { after, limit }),
            request.query,
          );
          const students = await mapPage(page.students, (id) => {
            const r = ledger.queries.findRecord(id);
            return r && ledger.queries.studentSummary(r, access.canSeePersonalData(p, r));
          });
          return { ...page, students: students.filter((s) => s !== undefined) };
        }
        // a search by name unseals each candidate's details (where this caller may see them): it reads the
        // candidates a database page at a time, and pages what it found
        const candidates =
          p.role === 'student'
            ? [ledger.queries.findRecord(p.id)].filter((r) => r !== undefined)
            : ledger.queries.records(cohortId);
        const readable = function* () {
          for (const r of candidates)
            if (
              (!cohortId || r.enrolment?.cohortId === cohortId) &&
              (!status || standingOf(r) === status) &&
              access.canReadStudent(p, r) &&
              found(r)
            )
              yield r;
        };
        const page = pageOf({ students: sortedBy(readable(), (r) => r.studentId) }, request.query);
        return { students: await summaries(page.students), nextCursor: page.nextCursor, total: page.total };
      },
    );

    api.get(
      '/students/:studentId',
      {
        schema: {
          tags: ['students'],
          roles: READERS,
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
          roles: READERS,
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
          roles: READERS,
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
          roles: READERS,
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
