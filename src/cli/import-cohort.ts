import type { Actor } from '../../events/envelope.ts';
import { importApplicants } from '../app/applicants-csv.ts';
import type { Ledger } from '../app/ledger.ts';

// Imports applicants into a cohort from CSV: one row per applicant. The checks (every row before any is
// written, every problem reported at once with its row and column, applicants already in the cohort
// skipped) are shared with the registry's upload page, in src/app/applicants-csv.ts.

export { CSV_COLUMNS, QTS_STATUSES } from '../app/applicants-csv.ts';

/** The ids of the students added (applicants already in the cohort are skipped). */
export async function importCohortCsv(
  ledger: Ledger,
  cohortId: string,
  csv: string,
  actor: Actor,
  today: string,
  onRow?: (n: number) => void,
): Promise<string[]> {
  const outcome = await importApplicants(ledger, cohortId, csv, actor, today, onRow);
  return outcome.added.map((a) => a.studentId);
}
