import type { CreditLedger } from '../../domain/credits.ts';
import { cohortOverview } from './cohorts.ts';
import { creditsFor } from './decisions.ts';
import { asOf } from './history.ts';
import { record } from './records.ts';
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

async function members(
  sources: QuerySources,
  cohortId: string,
  view: ExamBoardView,
): Promise<MemberStanding[]> {
  const overview = cohortOverview(sources, cohortId, view.on);
  if (view.knownAt === undefined)
    return overview.rows.map((row) => ({
      studentId: row.studentId,
      credits: creditsFor(sources, record(sources, row.studentId)),
      creditsEarned: row.creditsEarned,
      outcome: row.outcome,
    }));
  const out: MemberStanding[] = [];
  for (const row of overview.rows) {
    const then = await asOf(sources, row.studentId, { knownAt: view.knownAt, on: view.on }, view.on);
    if (then.record.enrolment?.cohortId !== cohortId) continue; // not on this cohort yet
    out.push({
      studentId: row.studentId,
      credits: then.credits,
      creditsEarned: then.decision?.credits.earned ?? 0,
      outcome: then.decision?.outcome ?? '',
    });
  }
  return out;
}

export async function examBoardCsv(
  sources: QuerySources,
  cohortId: string,
  view: ExamBoardView,
): Promise<string> {
  const lines = [EXAM_BOARD_COLUMNS.join(',')];
  for (const member of await members(sources, cohortId, view)) {
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
  }
  return `${lines.join('\n')}\n`;
}
