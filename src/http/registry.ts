import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { REGISTRY_ABILITIES, requirePrincipal, requireRole } from '../app/access.ts';
import { answers, createdAnswers } from '../app/answers.ts';
import { CSV_COLUMNS, importApplicants } from '../app/applicants-csv.ts';
import type { Ledger } from '../app/ledger.ts';
import { SearchView, StaffView, UploadView } from '../app/staff-views-schema.ts';
import { StudentSearchQuery, searchStudents } from '../app/student-search.ts';
import type { TokenStore } from '../auth/tokens.ts';
import { refused } from '../errors.ts';
import { IdempotentHeaders } from './idempotency.ts';
import { CohortParams } from './registers.ts';

// Cohort administration for registry staff: the applicants' CSV uploaded to a cohort (every bad row
// reported at once; an applicant already in the cohort is not added twice), the staff who may be
// assigned to cohorts (only ids that have a token), and the search of students by their details.

/** A tutor or examiner may be assigned only if they can sign in: an id with a token of that role. */
export function requireStaffToken(tokens: TokenStore, staffId: string, role: 'tutor' | 'examiner'): void {
  if (!tokens.list().some((t) => t.id === staffId && t.role === role))
    throw refused(
      'staff_without_token',
      `no ${role} token has the id ${staffId}: create one first (ledger token create --role ${role} --id ${staffId})`,
      { staffId },
    );
}

export function registryRoutes(ledger: Ledger, tokens: TokenStore) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    // Only the routes of this plugin take CSV bodies.
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    // One upload at a time per cohort, so two uploads of one file cannot both add the same applicant.
    const uploads = new Map<string, Promise<unknown>>();

    api.post(
      '/cohorts/:cohortId/applicants',
      {
        config: { idempotency: 'upload' },
        preValidation: async (request) => {
          requireRole(request, REGISTRY_ABILITIES.uploadApplicants);
        },
        schema: {
          tags: ['cohorts'],
          roles: REGISTRY_ABILITIES.uploadApplicants,
          summary: "Upload the applicants' CSV: register and enrol each applicant on the cohort",
          description: `Send the file as \`Content-Type: text/csv\` with the columns ${CSV_COLUMNS.join(', ')}. Every row is checked before any is written: a 400 lists every bad cell as { field: "row 3.email", row, column, reason } and nothing is imported. An applicant already in the cohort (the same teacher reference number, or the same email for one without) is skipped and listed in \`alreadyInCohort\`, so uploading a file again adds nobody twice. Answers 201 with \`added\`.`,
          consumes: ['text/csv'],
          params: CohortParams,
          body: z
            .string()
            .max(2 * 1024 * 1024)
            .describe("the applicants' CSV, header first"),
          headers: IdempotentHeaders,
          response: createdAnswers(UploadView),
        },
      },
      async (request, reply) => {
        const p = requirePrincipal(request);
        const { cohortId } = request.params;
        const previous = uploads.get(cohortId) ?? Promise.resolve();
        const run = previous
          .catch(() => undefined)
          .then(() =>
            importApplicants(
              ledger,
              cohortId,
              request.body,
              { id: p.id, role: p.role },
              ledger.queries.today(),
            ),
          );
        uploads.set(cohortId, run);
        try {
          const outcome = await run;
          return reply.status(201).send({ cohortId, ...outcome });
        } finally {
          if (uploads.get(cohortId) === run) uploads.delete(cohortId);
        }
      },
    );

    api.get(
      '/staff',
      {
        preValidation: async (request) => {
          requireRole(request, REGISTRY_ABILITIES.listStaff);
        },
        schema: {
          tags: ['cohorts'],
          roles: REGISTRY_ABILITIES.listStaff,
          summary: 'Tutors and examiners who can sign in (have a token): those a cohort may be assigned',
          querystring: z.object({ role: z.enum(['tutor', 'examiner']).optional() }),
          response: answers(StaffView),
        },
      },
      async (request) => {
        const seen = new Map<string, { id: string; role: 'tutor' | 'examiner'; label: string }>();
        for (const t of tokens.list())
          if (
            (t.role === 'tutor' || t.role === 'examiner') &&
            (!request.query.role || t.role === request.query.role)
          )
            seen.set(`${t.role}:${t.id}`, { id: t.id, role: t.role, label: t.label });
        return { staff: [...seen.values()].sort((a, b) => a.id.localeCompare(b.id)) };
      },
    );

    api.get(
      '/students/search',
      {
        preValidation: async (request) => {
          requireRole(request, REGISTRY_ABILITIES.searchStudents);
        },
        schema: {
          tags: ['students'],
          roles: REGISTRY_ABILITIES.searchStudents,
          summary:
            'Search students by name, email, teacher reference number or student number (registry, admin)',
          description:
            'Sorted and paged on the server: `total` matches, `pages` pages of `pageSize`; the decision is given for the page shown. `matchedBy` says which detail matched.',
          querystring: StudentSearchQuery,
          response: answers(SearchView),
        },
      },
      async (request) => {
        return searchStudents(ledger, request.query);
      },
    );
  };
}
