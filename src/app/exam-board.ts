import type { Actor } from '../../events/envelope.ts';
import { cohorts } from '../../projections/cohorts.ts';
import { standingAward } from '../domain/student-record.ts';
import { LedgerError, notFound, refused } from '../errors.ts';
import type { BoardOutcomesInput, BoardRunView, BoardStudentResult } from './exam-board-schema.ts';
import type { InTurnCommand } from './handle-command.ts';
import type { Ledger } from './ledger.ts';

// An exam board run for a whole cohort in one request: ratify every provisional mark, record the board's
// outcomes and mitigating-circumstances decisions, confer every eligible student. Each student's part is
// decided in turn and appended as one (src/domain/decide/in-turn.ts): all of it or none, never a
// half-applied board for anyone; the others are listed with the reason. A preview decides the same way
// and appends nothing. The board itself must be one the cohort held: otherwise nothing is tried.

type Action = BoardRunView['action'];

interface StudentPlan {
  studentId: string;
  commands: { name: InTurnCommand; data: unknown }[];
  /** Why there is nothing to do for this student (no command is tried). */
  nothing?: string;
  /** Why this student is refused before anything is decided (e.g. not in the cohort). */
  refusal?: LedgerError;
  /** The request field a refusal of command `index` concerns. */
  fieldOf?: (index: number, field: string) => string;
}

/** The cohort and the board it held: 404 for an unknown cohort, 422 for a board it never held. */
export function heldBoard(ledger: Ledger, cohortId: string, examBoardId: string) {
  const cohort = ledger.projections.state(cohorts).cohorts.get(cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const board = cohort.examBoards.find((b) => b.examBoardId === examBoardId);
  if (!board)
    throw refused(
      'unknown_exam_board',
      `cohort ${cohortId} has held no exam board ${examBoardId}: record the board first`,
      { examBoardId },
      'examBoardId',
    );
  return { cohort, board };
}

const membersOf = (cohort: { members: Set<string> }) =>
  [...cohort.members].map((streamId) => streamId.slice('student-'.length)).sort();

export async function ratifyBoard(
  ledger: Ledger,
  cohortId: string,
  examBoardId: string,
  actor: Actor,
  preview: boolean,
): Promise<BoardRunView> {
  const { cohort } = heldBoard(ledger, cohortId, examBoardId);
  const plans = membersOf(cohort).map((studentId) => ({
    studentId,
    commands: [{ name: 'ratifyMarks' as const, data: { examBoardId } }],
  }));
  return run(ledger, cohortId, examBoardId, 'ratify', plans, actor, preview, ['nothing_to_ratify']);
}

export async function conferBoard(
  ledger: Ledger,
  cohortId: string,
  examBoardId: string,
  input: { conferredOn?: string | undefined },
  actor: Actor,
  preview: boolean,
): Promise<BoardRunView> {
  const { cohort, board } = heldBoard(ledger, cohortId, examBoardId);
  const conferredOn = input.conferredOn ?? board.heldOn;
  const plans = membersOf(cohort).map((studentId): StudentPlan => {
    const award = standingAward(ledger.queries.record(studentId));
    if (award)
      return {
        studentId,
        commands: [],
        nothing: `the ${award.title} already stands (conferred on ${award.conferredOn} at exam board ${award.examBoardId})`,
      };
    return {
      studentId,
      commands: [{ name: 'conferAward', data: { examBoardId, conferredOn } }],
      fieldOf: (_index, field) => field,
    };
  });
  return run(ledger, cohortId, examBoardId, 'confer', plans, actor, preview, []);
}

export async function recordBoardOutcomes(
  ledger: Ledger,
  cohortId: string,
  examBoardId: string,
  input: BoardOutcomesInput,
  actor: Actor,
  preview: boolean,
): Promise<BoardRunView> {
  const { cohort } = heldBoard(ledger, cohortId, examBoardId);
  // per student, in the request's order: the claims decided first, then the outcomes
  const byStudent = new Map<string, { commands: StudentPlan['commands']; fields: string[] }>();
  const add = (studentId: string, name: InTurnCommand, data: unknown, field: string) => {
    const plan = byStudent.get(studentId) ?? { commands: [], fields: [] };
    plan.commands.push({ name, data });
    plan.fields.push(field);
    byStudent.set(studentId, plan);
  };
  input.mitigatingCircumstances.forEach(({ studentId, ...claim }, i) => {
    add(
      studentId,
      'decideMitigatingCircumstances',
      { ...claim, examBoardId },
      `mitigatingCircumstances.${i}`,
    );
  });
  input.outcomes.forEach(({ studentId, ...outcome }, i) => {
    add(studentId, 'recordBoardOutcome', { ...outcome, examBoardId }, `outcomes.${i}`);
  });
  const plans = [...byStudent].map(([studentId, { commands, fields }]): StudentPlan => {
    const fieldOf = (index: number, field: string) => `${fields[index]}.${field}`;
    if (!cohort.members.has(`student-${studentId}`))
      return {
        studentId,
        commands,
        fieldOf,
        refusal: refused(
          'not_in_cohort',
          `student ${studentId} is not a member of cohort ${cohortId}`,
          {
            command: 0,
          },
          'studentId',
        ),
      };
    return { studentId, commands, fieldOf };
  });
  return run(ledger, cohortId, examBoardId, 'outcomes', plans, actor, preview, []);
}

async function run(
  ledger: Ledger,
  cohortId: string,
  examBoardId: string,
  action: Action,
  plans: StudentPlan[],
  actor: Actor,
  preview: boolean,
  nothingCodes: readonly string[],
): Promise<BoardRunView> {
  const { board } = heldBoard(ledger, cohortId, examBoardId);
  const students: BoardStudentResult[] = [];
  for (const plan of plans) {
    const base = { studentId: plan.studentId, events: [], reason: null, refusal: null };
    if (plan.nothing) {
      students.push({ ...base, result: 'nothing-to-do', reason: plan.nothing });
      continue;
    }
    try {
      if (plan.refusal) throw plan.refusal;
      const { decided, result } = await ledger.executeInTurn(
        plan.studentId,
        plan.commands,
        { actor },
        preview,
      );
      students.push({
        ...base,
        result: preview ? 'would-apply' : 'applied',
        events: (result?.events ?? decided.map((d) => ({ ...d.event, eventId: d.eventId }))).map(
          ({ eventId, type, data }) => ({ eventId, type, data }),
        ),
      });
    } catch (error) {
      if (!(error instanceof LedgerError) || error.kind === 'conflict') throw error;
      if (nothingCodes.includes(error.code)) {
        students.push({ ...base, result: 'nothing-to-do', reason: error.message });
        continue;
      }
      const { command, ...details } = error.details as { command?: number };
      const at = (field: string) =>
        plan.fieldOf && command !== undefined ? plan.fieldOf(command, field) : field;
      students.push({
        ...base,
        result: 'refused',
        reason: error.message,
        refusal: {
          code: error.code,
          message: error.message,
          issues: error.issues.map((i) => ({ field: at(i.field), reason: i.reason })),
          details,
        },
      });
    }
  }
  const count = (r: BoardStudentResult['result'][]) => students.filter((s) => r.includes(s.result)).length;
  return {
    cohortId,
    examBoardId,
    heldOn: board.heldOn,
    externalExaminers: [...board.externalExaminers],
    action,
    preview,
    counts: {
      applied: count(['applied', 'would-apply']),
      refused: count(['refused']),
      nothingToDo: count(['nothing-to-do']),
    },
    students,
  };
}
