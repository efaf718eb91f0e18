import type { StudentRecord } from '../src/domain/student-record.ts';

// The statutory deadlines (SEND Regulations 2014 reg. 49 as amended by SI 2024/535) are computed in
// src/domain/statutory/deadline.ts from each record, its decision and today's date; a permitted
// resubmission's deadline here. Nothing is stored, so a deadline always reflects the latest correction.

export {
  atRisk,
  DEFAULT_DEADLINE_OPTIONS,
  type DeadlineOptions,
  type RiskLevel,
  type StatutoryDeadline,
  statutoryDeadline,
} from '../src/domain/statutory/deadline.ts';

export interface ResubmissionDeadline {
  moduleCode: string;
  attempt: number;
  deadline: string;
  /** The final submission's date, once handed in. */
  submittedOn: string | null;
  /** Past its deadline with nothing handed in. */
  overdue: boolean;
}

/** Each permitted resubmission that has a deadline, and whether it was handed in by then. */
export function resubmissionDeadlines(record: StudentRecord, today: string): ResubmissionDeadline[] {
  const out: ResubmissionDeadline[] = [];
  for (const [moduleCode, attempts] of Object.entries(record.modules))
    for (const a of attempts) {
      if (!a.permitted || a.deadline === null) continue;
      const finals = a.submissions.filter((s) => s.kind === 'final');
      const submittedOn = finals[finals.length - 1]?.submittedOn ?? null;
      out.push({
        moduleCode,
        attempt: a.attempt,
        deadline: a.deadline,
        submittedOn,
        overdue: submittedOn === null && a.markChain === null && today > a.deadline,
      });
    }
  return out.sort((x, y) => (x.deadline < y.deadline ? -1 : x.deadline > y.deadline ? 1 : 0));
}
