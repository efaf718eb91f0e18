import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { SchoolType } from '../../events/common.ts';
import type { Ledger } from '../app/ledger.ts';
import { registerApplicant } from '../app/register-applicant.ts';
import { type FieldIssue, invalid } from '../errors.ts';
import type { Actor } from '../store/port.ts';

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
type Column = (typeof CSV_COLUMNS)[number];

export const QTS_STATUSES = ['QTS', 'QTLS', 'none'] as const;

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;
const DATE = 'must be a real date as YYYY-MM-DD';

const Row = z.object({
  full_name: z.string().trim().min(1, 'must not be empty'),
  email: z.email('must be an email address'),
  date_of_birth: z.iso.date({ error: DATE }),
  teacher_reference_number: z
    .string()
    .refine(
      (v) => v === '' || /^\d{7}$/.test(v),
      'must be empty (no QTS) or a 7-digit teacher reference number',
    ),
  qts_status: z.enum(QTS_STATUSES, { error: oneOf(QTS_STATUSES) }),
  appointed_senco_on: z
    .string()
    .refine(
      (v) => v === '' || z.iso.date().safeParse(v).success,
      'must be empty (not yet appointed) or a real date as YYYY-MM-DD',
    ),
  prior_senco_months: z.coerce
    .number({ error: 'must be a whole number of months' })
    .int('must be a whole number of months')
    .min(0, 'must be 0 or more'),
  school_name: z.string().trim().min(1, 'must not be empty'),
  school_type: z.enum(SchoolType.options, { error: oneOf(SchoolType.options) }),
});

/** Values worth echoing in an error: not personal data. */
const ECHOED = new Set<Column>(['qts_status', 'appointed_senco_on', 'prior_senco_months', 'school_type']);

function rowIssues(row: number, record: Record<string, string>, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const column = String(issue.path[0]) as Column;
    const value = record[column];
    const echoed = ECHOED.has(column) && value !== undefined && value !== '' ? ` (found "${value}")` : '';
    return { field: `row ${row}, column ${column}`, reason: `${issue.message}${echoed}` };
  });
}

/** The rows of the file, or every problem with it: missing or unknown columns, malformed CSV. */
function readRows(csv: string): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    const e = error as Error & { code?: string; lines?: number; record?: unknown[] };
    const reason =
      e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
        ? `has ${e.record?.length ?? 'a different number of'} fields where the header has ${CSV_COLUMNS.length}`
        : e.message;
    throw invalid('invalid_csv', [{ field: e.lines ? `line ${e.lines}` : 'file', reason }]);
  }
  const header = Object.keys(records[0] ?? {});
  const issues: FieldIssue[] = [
    ...CSV_COLUMNS.filter((c) => records.length > 0 && !header.includes(c)).map((c) => ({
      field: `column ${c}`,
      reason: 'is missing from the header row',
    })),
    ...header
      .filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c))
      .map((c) => ({
        field: `column ${c}`,
        reason: `is not a column of the import: ${CSV_COLUMNS.join(', ')}`,
      })),
  ];
  if (records.length === 0) issues.push({ field: 'file', reason: 'has no applicant rows under its header' });
  if (issues.length) throw invalid('invalid_csv', issues);
  return records;
}

export async function importCohortCsv(
  ledger: Ledger,
  cohortId: string,
  csv: string,
  actor: Actor,
  today: string,
  onRow?: (n: number) => void,
) {
  const cohort = ledger.projections.cohorts.cohorts.get(cohortId);
  if (!cohort)
    throw invalid('unknown_cohort', [{ field: 'cohort', reason: `there is no cohort ${cohortId}` }]);
  const records = readRows(csv);
  // Every row is checked and every problem reported (row 2 is the first under the header), so one
  // attempt shows the whole list to fix.
  const issues: FieldIssue[] = [];
  const rows: z.infer<typeof Row>[] = [];
  for (const [i, r] of records.entries()) {
    const parsed = Row.safeParse(r);
    if (!parsed.success) issues.push(...rowIssues(i + 2, r, parsed.error));
    else if (parsed.data.qts_status !== 'none' && parsed.data.teacher_reference_number === '')
      issues.push({
        field: `row ${i + 2}, column teacher_reference_number`,
        reason: `is required with qts_status ${parsed.data.qts_status}`,
      });
    else rows.push(parsed.data);
  }
  if (issues.length) throw invalid('invalid_csv_row', issues);
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
