import { cohortOverview } from './cohorts.ts';
import { creditsFor } from './decisions.ts';
import { record } from './records.ts';
import type { QuerySources } from './sources.ts';

// The exam-board export: one row per student and module, with the mark as it stands, whether it is
// ratified, and the student's decision. Student ids, not names: the board works from anonymised lists.

function cell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s)
    ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"`
    : s;
}

export function examBoardCsv(sources: QuerySources, cohortId: string, on: string): string {
  const overview = cohortOverview(sources, cohortId, on);
  const lines = [
    [
      'student_id',
      'module',
      'credits',
      'attempt',
      'mark',
      'capped_at',
      'effective_mark',
      'pass_mark',
      'ratified',
      'module_status',
      'credits_earned',
      'decision',
    ].join(','),
  ];
  for (const row of overview.rows) {
    const credits = creditsFor(sources, record(sources, row.studentId));
    for (const m of credits?.modules ?? []) {
      const last = m.attempts[m.attempts.length - 1];
      lines.push(
        [
          row.studentId,
          m.moduleCode,
          m.credits,
          last?.attempt ?? '',
          last?.mark ?? '',
          last?.cappedAt ?? '',
          last?.effectiveMark ?? '',
          m.passMark,
          last ? (last.ratified ? 'ratified' : 'provisional') : '',
          m.status,
          row.creditsEarned,
          row.outcome,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
