import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IsoDate, ModuleCode } from '../../events/common.ts';
import { type Access, READERS, requirePrincipal, requireRole, STAFF } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { cohortRegister } from '../app/cohort-register.ts';
import type { Ledger } from '../app/ledger.ts';
import { cohortMarkGrid } from '../app/mark-grid.ts';
import { outcomeWorkbook } from '../app/outcome-workbook.ts';
import { MarkGridView, RegisterView, VisitsView, WorkbookView } from '../app/staff-views-schema.ts';
import { cohortVisits } from '../app/visits-summary.ts';
import type { Principal } from '../auth/tokens.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { requireStudentRead, StudentParams } from './students.ts';

// The reads a tutor works from, one request per cohort (never one per student): the register (sessions
// by students), the partner-school visits against each module's requirement, the mark grid for a module
// and attempt, and one student's sign-off workbook. Staff assigned to the cohort (and registry, admins)
// may read them; examiners see student ids, not names. Recording goes through the student commands.

export const CohortParams = z.object({
  cohortId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a cohort id'),
});

export function namesFor(ledger: Ledger, access: Access, p: Principal) {
  return (record: StudentRecord) =>
    access.canSeePersonalData(p, record) ? (ledger.queries.personalDetails(record)?.fullName ?? null) : null;
}

export function registerRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    // role and cohort checked before the querystring is validated, so a stranger learns nothing from a 400
    const staffOfTheCohort = async (request: FastifyRequest) => {
      const p = requireRole(request, STAFF);
      access.assertCanReadCohort(p, (request.params as { cohortId: string }).cohortId);
    };

    api.get(
      '/cohorts/:cohortId/register',
      {
        preValidation: staffOfTheCohort,
        schema: {
          tags: ['cohorts'],
          roles: STAFF,
          summary: "The cohort's register: sessions by students, with what was recorded and when",
          description:
            'Each cell is attended, absence reported (with the reason) or caught up after a reported absence; `catchUps` lists the reported WebEx absences still waiting for their catch-up. Record with record-webex-attendance, report-webex-absence, complete-webex-catch-up and record-facilitated-day.',
          params: CohortParams,
          response: answers(RegisterView),
        },
      },
      async (request) => {
        const p = requirePrincipal(request); // role and scope were checked before validation
        return cohortRegister(ledger, request.params.cohortId, namesFor(ledger, access, p));
      },
    );

    api.get(
      '/cohorts/:cohortId/visits',
      {
        preValidation: staffOfTheCohort,
        schema: {
          tags: ['cohorts'],
          roles: STAFF,
          summary: 'Partner-school visits so far, per student and module, against the requirement',
          params: CohortParams,
          response: answers(VisitsView),
        },
      },
      async (request) => {
        const p = requirePrincipal(request); // role and scope were checked before validation
        return cohortVisits(ledger, request.params.cohortId, namesFor(ledger, access, p));
      },
    );

    api.get(
      '/cohorts/:cohortId/marks',
      {
        preValidation: staffOfTheCohort,
        schema: {
          tags: ['cohorts'],
          roles: STAFF,
          summary: "The cohort's mark grid for one module and attempt",
          description:
            'Per student: the submission, the first mark and its marker, each moderation and correction, the cap on a resubmission, and whether an exam board ratified the mark as it stands. The module (default: the first) shows its pass mark and what a resubmission is capped at.',
          params: CohortParams,
          querystring: z.object({
            moduleCode: ModuleCode.optional(),
            attempt: z.coerce.number().int().min(1, 'attempts count from 1').max(9).optional(),
          }),
          response: answers(MarkGridView),
        },
      },
      async (request) => {
        const p = requirePrincipal(request); // role and scope were checked before validation
        return cohortMarkGrid(ledger, request.params.cohortId, request.query, namesFor(ledger, access, p));
      },
    );

    api.get(
      '/students/:studentId/outcomes',
      {
        preValidation: async (request) => {
          const p = requirePrincipal(request);
          access.readableRecord(p, (request.params as { studentId: string }).studentId);
        },
        schema: {
          tags: ['students'],
          roles: READERS,
          summary:
            "The sign-off workbook: the framework's outcomes with their evidence, signed, due or overdue",
          params: StudentParams,
          querystring: z.object({ on: IsoDate.optional().describe('judge due and overdue on this date') }),
          response: answers(WorkbookView),
        },
      },
      async (request) => {
        const { record } = requireStudentRead(access, request, request.params.studentId);
        return outcomeWorkbook(ledger, record.studentId, request.query.on);
      },
    );
  };
}
