import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Code } from '../../events/common.ts';
import { type Access, requirePrincipal, requireRole } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { BoardWorkspaceView, boardWorkspace } from '../app/board-workspace.ts';
import { conferBoard, ratifyBoard, recordBoardOutcomes } from '../app/exam-board.ts';
import { BoardOutcomesInput, BoardRunView, ConferBoardInput } from '../app/exam-board-schema.ts';
import type { Ledger } from '../app/ledger.ts';
import { CohortParams } from './registers.ts';

// An exam board run for a whole cohort, by registry: ratify every provisional mark, record the board's
// outcomes and mitigating-circumstances decisions, confer every eligible student. Each has a preview
// beside it that decides the same way and appends nothing. A board the cohort never held is refused
// (422, nothing tried); each student's part is all or nothing, the others listed with their reasons.

const BoardParams = CohortParams.extend({ examBoardId: Code });
const ROLES = ['registry'] as const;
const WORKSPACE_ROLES = ['registry', 'admin', 'examiner'] as const;

const actions = {
  ratify: {
    summary: 'Ratify every provisional mark of the cohort at a board it held',
    description:
      "Each member's provisional marks made by the board's date are ratified (one MarksRatified each, dated the board's day); a member with none, or only later marks, is `nothing-to-do`.",
    body: z.object({}).strict().default({}),
  },
  outcomes: {
    summary: "Record the board's mitigating-circumstances decisions and outcomes for many students",
    description:
      "Per student, the claims' decisions first, then the outcomes (pass, refer, defer, fail, withdraw), decided in turn and appended together: one refusal refuses that student's part (its `refusal.issues` name the request field, e.g. `outcomes.3.deadline`), and the other students are recorded.",
    body: BoardOutcomesInput,
  },
  confer: {
    summary: 'Confer the award on every eligible member of the cohort at a board it held',
    description:
      'Members whose decision is an award are conferred (on `conferredOn`, default the board day); the others are listed with the reason (`not_eligible` with what is outstanding, `student_withdrawn` ...); a member whose award already stands is `nothing-to-do`.',
    body: ConferBoardInput,
  },
} as const;

export function examBoardRoutes(ledger: Ledger, access: Access) {
  return async function plugin(app: FastifyInstance) {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get(
      '/cohorts/:cohortId/exam-boards/:examBoardId',
      {
        schema: {
          tags: ['exam boards'],
          summary: "A board's workspace: per member, standing, mitigating claims and this board's outcomes",
          roles: WORKSPACE_ROLES,
          description:
            'Per member: the decision and credits today, every mitigating-circumstances claim (waiting, or decided and where), the outcomes this board recorded, and whether an award conferred at it stands. 404 for an unknown cohort; 422 `unknown_exam_board` for a board the cohort never held.',
          params: BoardParams,
          response: answers(BoardWorkspaceView),
        },
      },
      async (request) => {
        const p = requireRole(request, WORKSPACE_ROLES);
        access.assertCanReadCohort(p, request.params.cohortId);
        return boardWorkspace(ledger, request.params.cohortId, request.params.examBoardId);
      },
    );
    for (const [action, doc] of Object.entries(actions) as [
      keyof typeof actions,
      (typeof actions)[keyof typeof actions],
    ][]) {
      for (const preview of [false, true]) {
        api.post(
          `/cohorts/:cohortId/exam-boards/:examBoardId/${action}${preview ? '/preview' : ''}`,
          {
            preValidation: async (request) => {
              requireRole(request, ROLES);
            },
            schema: {
              tags: ['exam boards'],
              summary: preview
                ? `Preview: ${doc.summary.charAt(0).toLowerCase()}${doc.summary.slice(1)} (nothing is appended)`
                : doc.summary,
              roles: ROLES,
              description: `${doc.description} Answers 200 with a result per student: applied${preview ? ' (here would-apply)' : ''}, refused (nothing of it written) or nothing-to-do. 404 for an unknown cohort; 422 \`unknown_exam_board\` for a board the cohort never held.`,
              params: BoardParams,
              body: doc.body,
              response: answers(BoardRunView),
            },
          },
          async (request) => {
            const p = requirePrincipal(request); // the role was checked before validation
            const actor = { id: p.id, role: p.role };
            const { cohortId, examBoardId } = request.params;
            if (action === 'ratify') return ratifyBoard(ledger, cohortId, examBoardId, actor, preview);
            if (action === 'confer')
              return conferBoard(
                ledger,
                cohortId,
                examBoardId,
                request.body as z.infer<typeof ConferBoardInput>,
                actor,
                preview,
              );
            return recordBoardOutcomes(
              ledger,
              cohortId,
              examBoardId,
              request.body as z.infer<typeof BoardOutcomesInput>,
              actor,
              preview,
            );
          },
        );
      }
    }
  };
}
