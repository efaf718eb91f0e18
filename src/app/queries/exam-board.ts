import type { CreditLedger } from '../../domain/credits.ts';
import { notFound } from '../../errors.ts';
import { findCohort } from './cohorts.ts';
import { creditsFor, decisionFor } from './decisions.ts';
import { asOf } from './history.ts';
import { records } from './records.ts';
import type { QuerySources } from './sources.ts';

// The exam-board export: one row per student, module and attempt (a failed attempt the board ratified
// stays beside the resubmission that follows it), with the mark as it stands, whether it is ratified,
// when it was handed in and, for a resubmission, by when; and the student's decision. Student ids, not
// names: the board works from anonymised lists.

function cell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s)
    ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"`
    : s;
}

export const EXAM_BOARD_COLUMNS = [
  'student_id',
  'module',
  'credits',
  'attempt',
  'submitted_on',
  'due_by',
  'mark',
  'capped_at',
  'effective_mark',
  'pass_mark',
  'ratified',
  'module_status',
  'credits_earned',
  'decision',
] as const;

export interface ExamBoardView {
  /** The date the decisions are evaluated on. */
  on: string;
  /** Only what the ledger had recorded by this instant (an ISO date-time): the marks as a past board saw them. */
  knownAt?: string;
}

interface MemberStanding {
  studentId: string;
  credits: CreditLedger | null;
  creditsEarned: number;
  outcome: string;
}

/** The cohort's members one at a time (read a page at a time from the database), as the board sees them. */
async function* members(
  sources: QuerySources,
  cohortId: string,
  view: ExamBoardView,
): AsyncGenerator<MemberStanding> {
  if (!findCohort(sources, cohortId))
    throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  for (const record of records(sources, cohortId)) {
    if (view.knownAt === undefined) {
      const decision = decisionFor(record, sources.reference, view.on);
      yield {
        studentId: record.studentId,
        credits: creditsFor(sources, record),
        creditsEarned: decision?.credits.earned ?? 0,
        outcome: decision?.outcome ?? 'not-yet-eligible',
      };
      continue;
    }
    const then = await asOf(sources, record.studentId, { knownAt: view.knownAt, on: view.on }, view.on);
    if (then.record.enrolment?.cohortId !== cohortId) continue; // not on this cohort yet
    yield {
      studentId: record.studentId,
      credits: then.credits,
      creditsEarned: then.decision?.credits.earned ?? 0,
      outcome: then.decision?.outcome ?? '',
    };
  }
}

/**
 * The export as it is written, a member's rows at a time: the header, then each member's attempts. Nothing
 * holds the whole cohort: a national cohort's export streams to the client or the file.
 */
export async function* examBoardChunks(
  sources: QuerySources,
  cohortId: string,
  view: ExamBoardView,
): AsyncGenerator<string> {
  const all = members(sources, cohortId, view);
  const first = await all.next(); // an unknown cohort is refused before anything is written
  yield `${EXAM_BOARD_COLUMNS.join(',')}\n`;
  if (first.done) return;
  yield memberLines(first.value);
  for await (const member of all) yield memberLines(member);
}

function memberLines(member: MemberStanding): string {
  const lines: string[] = [];
  for (const m of member.credits?.modules ?? []) {
    const attempts = m.attempts.length ? m.attempts : [null];
    for (const a of attempts)
      lines.push(
        [
          member.studentId,
          m.moduleCode,
          m.credits,
          a?.attempt ?? '',
          a?.submittedOn ?? '',
          a?.dueBy ?? '',
          // a pass/fail assessment: its result stands where a mark would
          a?.result ?? a?.mark ?? '',
          a?.cappedAt ?? '',
          a?.result ?? a?.effectiveMark ?? '',
          m.passMark ?? 'pass/fail',
          a && (a.mark !== null || a.result !== null) ? (a.ratified ? 'ratified' : 'provisional') : '',
          m.status,
          member.creditsEarned,
          member.outcome,
        ]
          .map(cell)
          .join(','),
      );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The whole export as one text (small cohorts, tests). */
export async function examBoardCsv(
  sources: QuerySources,
  cohortId: string,
  view: ExamBoardView,
): Promise<string> {
  let out = '';
  for await (const chunk of examBoardChunks(sources, cohortId, view)) out += chunk;
  return out;
}
