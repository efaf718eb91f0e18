import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { IsoDate, SchoolType } from '../../events/common.ts';
import type { Actor } from '../../events/envelope.ts';
import { zodIssues } from '../../events/index.ts';
import type { Ledger } from '../app/ledger.ts';
import { registerApplicant } from '../app/register-applicant.ts';
import { invalid } from '../errors.ts';

// Imports applicants into a cohort from CSV: one row per applicant. Every row is checked before any is
// written, so a file with a mistake in row 40 writes nothing and says which row and which column.

export const CSV_COLUMNS = [
  'full_name',
  'email',
  'date_of_birth',
  'teacher_reference_number',
  'qts_status',
  'appointed_senco_on',
  'prior_senco_months',
  'school_name',
  'school_type',
] as const;

const Row = z.object({
  full_name: z.string().trim().min(1, 'must not be empty'),
  email: z.email('must be an email address'),
  date_of_birth: IsoDate,
  teacher_reference_number: z.union([
    z.literal(''),
    z.string().regex(/^\d{7}$/, 'must be a 7-digit teacher reference number'),
  ]),
  qts_status: z.enum(['QTS', 'QTLS', 'none']),
  appointed_senco_on: z.union([z.literal(''), IsoDate]),
  prior_senco_months: z.coerce.number().int().min(0),
  school_name: z.string().trim().min(1),
  school_type: SchoolType,
});

export async function importCohortCsv(
  ledger: Ledger,
  cohortId: string,
  csv: string,
  actor: Actor,
  today: string,
  onRow?: (n: number) => void,
) {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort)
    throw invalid('unknown_cohort', [{ field: 'cohort', reason: `there is no cohort ${cohortId}` }]);
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const rows = records.map((r, i) => {
    const parsed = Row.safeParse(r);
    if (!parsed.success) throw invalid('invalid_csv_row', zodIssues(parsed.error, `row ${i + 2}`));
    if (parsed.data.qts_status !== 'none' && parsed.data.teacher_reference_number === '')
      throw invalid('invalid_csv_row', [
        { field: `row ${i + 2}.teacher_reference_number`, reason: 'is required with QTS or QTLS' },
      ]);
    return parsed.data;
  });
  // Applicants join on the cohort's start date; a cohort imported after it began is back-filled as of
  // its start (the statutory transition rule looks at when the course started).
  const on = cohort.startsOn < today ? cohort.startsOn : today;
  const created: string[] = [];
  for (const [i, row] of rows.entries()) {
    const id = await registerApplicant(
      ledger,
      {
        personal: {
          fullName: row.full_name,
          email: row.email,
          dateOfBirth: row.date_of_birth,
          teacherReferenceNumber: row.teacher_reference_number || null,
        },
        programmeId: cohort.programmeId,
        school: { name: row.school_name, type: row.school_type },
        intake: cohort.intake === 'autumn' ? 'autumn' : 'spring',
        qts: row.qts_status,
        qtsAwardedOn: null,
        appointedOn: row.appointed_senco_on || null,
        priorSencoMonths: row.prior_senco_months,
        cohortId,
        appliedOn: on,
        offeredOn: on,
        enrolledOn: cohort.startsOn,
      },
      actor,
    );
    created.push(id);
    onRow?.(i + 1);
  }
  return created;
}
