import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { refused } from '../../errors.ts';
import { AFTER_WITHDRAWAL, type CommandName, DURING_INTERRUPTION } from '../commands.ts';
import { outcomeCodes } from '../outcomes/schema.ts';
import type { ReferenceData } from '../reference-data.ts';
import type { StudentRecord } from '../student-record.ts';
import type { DecideContext } from './context.ts';

// Checks several handlers share: the record exists and accepts the command, the module, session and
// outcome named are on the student's programme.

export function guardStatus(
  record: StudentRecord | null,
  name: CommandName,
): asserts record is StudentRecord {
  if (!record) throw refused('unknown_student', 'there is no such student: submit an application first');
  if (record.withdrawal && !AFTER_WITHDRAWAL.has(name))
    throw refused(
      'student_withdrawn',
      `the student withdrew on ${record.withdrawal.on}: nothing more can be recorded`,
      { withdrawnOn: record.withdrawal.on },
    );
  if (record.interruption && !DURING_INTERRUPTION.has(name))
    throw refused(
      'study_interrupted',
      `study is interrupted from ${record.interruption.from}: resume it first`,
    );
}

export function specOf(record: StudentRecord, reference: ReferenceData): ProgrammeSpecification {
  const e = record.enrolment;
  if (!e) throw refused('not_enrolled', 'the student is not enrolled on a cohort yet');
  return reference.specification(e.programmeId, e.specVersion);
}

export function requireModule(spec: ProgrammeSpecification, moduleCode: string, field = 'moduleCode') {
  const module = spec.modules.find((m) => m.code === moduleCode);
  if (!module)
    throw refused(
      'module_not_on_programme',
      `module ${moduleCode} is not on ${spec.programmeId} version ${spec.version} (its modules: ${spec.modules.map((m) => m.code).join(', ')})`,
      { moduleCode },
      field,
    );
  return module;
}

/** The exam board the student's cohort held, by id: a board never held decides nothing. */
export function heldBoard(record: StudentRecord, ctx: DecideContext, examBoardId: string) {
  const cohortId = record.enrolment?.cohortId;
  const board = cohortId ? ctx.cohort(cohortId)?.examBoards.find((b) => b.examBoardId === examBoardId) : null;
  if (!board)
    throw refused(
      'unknown_exam_board',
      `cohort ${cohortId ?? '(none: not enrolled)'} has held no exam board ${examBoardId}: record the board first`,
      { examBoardId },
      'examBoardId',
    );
  return board;
}

export function requireSession(
  record: StudentRecord,
  ctx: DecideContext,
  sessionId: string,
  kind: 'webex' | 'facilitated-day',
  moduleCode: string | null,
): void {
  const cohort = record.enrolment ? ctx.cohort(record.enrolment.cohortId) : undefined;
  if (!cohort || cohort.sessions.length === 0) return; // a cohort that lists no sessions accepts any
  const session = cohort.sessions.find((s) => s.sessionId === sessionId);
  if (!session || session.kind !== kind)
    throw refused(
      'unknown_session',
      `cohort ${cohort.cohortId} has no ${kind} session ${sessionId}`,
      { sessionId },
      'sessionId',
    );
  if (moduleCode !== null && session.moduleCode !== null && session.moduleCode !== moduleCode)
    throw refused(
      'session_module_mismatch',
      `session ${sessionId} belongs to module ${session.moduleCode}, not ${moduleCode}`,
    );
}

/** The enrolment, if the outcome is in the framework the student is judged on. */
export function requireOutcome(record: StudentRecord, ctx: DecideContext, code: string) {
  const e = record.enrolment;
  if (!e) throw refused('not_enrolled', 'the student is not enrolled on a cohort yet');
  const framework = ctx.reference.framework(e.frameworkId, e.frameworkVersion);
  if (!outcomeCodes(framework).includes(code))
    throw refused(
      'outcome_not_in_framework',
      `${code} is not an outcome of framework ${framework.frameworkId} version ${framework.version}`,
      { outcomeCode: code },
    );
  return e;
}
