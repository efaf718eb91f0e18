import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { SchoolType } from '../../events/common.ts';
import { type FieldIssue, invalid } from '../errors.ts';
import type { Actor } from '../store/port.ts';
import type { Ledger } from './ledger.ts';
import { registerApplicant } from './register-applicant.ts';

// The applicants' CSV, one row per applicant, as the command line (import-cohort) and the registry's
// upload page (POST /cohorts/:id/applicants) both take it. Every row is checked before any is written,
// and every bad row is reported at once (row, column, reason, and the value found where it is not
// personal data), so a file with mistakes in rows 4 and 40 writes nothing and names both. An applicant already in the cohort is skipped, not added again: the
// same person is the same teacher reference number within the cohort (their DfE identity), or, for an
// applicant without one (no QTS), the same email address (provider default: no seed names a key). An
// applicant who applied for the programme already outside this cohort is refused, by the same rule as
// every application (src/app/applicants.ts).

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
export type ApplicantRow = z.infer<typeof Row>;

/** Values worth echoing in an error: not personal data. */
const ECHOED = new Set<string>(['qts_status', 'appointed_senco_on', 'prior_senco_months', 'school_type']);

/** A bad cell: `field` reads "row 3, column email" (the file's line, the header being row 1). */
export interface CsvIssue extends FieldIssue {
  row: number;
  column: string | null;
}

const issue = (row: number, column: string | null, reason: string): CsvIssue => ({
  field: column ? (row === 1 ? `column ${column}` : `row ${row}, column ${column}`) : `row ${row}`,
  row,
  column,
  reason,
});

/** Every row parsed and checked on its own; the issues of all of them. */
export function parseApplicantsCsv(csv: string): {
  rows: { row: number; data: ApplicantRow }[];
  issues: CsvIssue[];
  /** The whole file is unreadable (not CSV, wrong columns, no rows), rather than some of its rows. */
  fileLevel: boolean;
} {
  let records: string[][];
  try {
    records = parse(csv, { skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    const e = error as Error & { code?: string; lines?: number; record?: unknown[] };
    const reason =
      e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
        ? `has ${e.record?.length ?? 'a different number of'} fields where the header has ${CSV_COLUMNS.length}`
        : e.message;
    return { rows: [], issues: [issue(e.lines ?? 1, null, reason)], fileLevel: true };
  }
  const [header = [], ...body] = records;
  const issues: CsvIssue[] = [
    ...CSV_COLUMNS.filter((c) => !header.includes(c)).map((c) =>
      issue(1, c, 'is missing from the header row'),
    ),
    ...header
      .filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c))
      .map((c) => issue(1, c, `is not a column of the import: ${CSV_COLUMNS.join(', ')}`)),
  ];
  if (issues.length) return { rows: [], issues, fileLevel: true };
  if (body.length === 0)
    return {
      rows: [],
      issues: [issue(2, null, 'the file has no applicant rows under its header')],
      fileLevel: true,
    };
  const rows: { row: number; data: ApplicantRow }[] = [];
  for (const [i, cells] of body.entries()) {
    const row = i + 2;
    const raw = Object.fromEntries(header.map((c, k) => [c, cells[k] ?? '']));
    const parsed = Row.safeParse(raw);
    const before = issues.length;
    if (!parsed.success)
      for (const problem of parsed.error.issues) {
        const column = String(problem.path[0] ?? '') as Column;
        const value = raw[column];
        const echoed = ECHOED.has(column) && value ? ` (found "${value}")` : '';
        issues.push(issue(row, column || null, `${problem.message}${echoed}`));
      }
    // seed 004 Q9: the 7-digit teacher reference number evidences QTS
    if ((raw.qts_status === 'QTS' || raw.qts_status === 'QTLS') && raw.teacher_reference_number === '')
      issues.push(issue(row, 'teacher_reference_number', `is required with qts_status ${raw.qts_status}`));
    if (parsed.success && issues.length === before) rows.push({ row, data: parsed.data });
  }
  return { rows, issues, fileLevel: false };
}

export interface UploadOutcome {
  added: { row: number; studentId: string; fullName: string }[];
  alreadyInCohort: {
    row: number;
    studentId: string;
    fullName: string;
    matchedBy: 'teacher reference number' | 'email';
  }[];
}

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const keyOf = (d: { teacher_reference_number: string; email: string }) =>
  d.teacher_reference_number ? `trn:${d.teacher_reference_number}` : emailKey(d.email);

/**
 * Registers and enrols the file's applicants on the cohort through the ledger's own commands, after
 * checking every row (throws `invalid` with every issue, writing nothing). Returns who was added and who
 * was already in the cohort.
 */
export async function importApplicants(
  ledger: Ledger,
  cohortId: string,
  csv: string,
  actor: Actor,
  today: string,
  onRow?: (n: number) => void,
): Promise<UploadOutcome> {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort)
    throw invalid('unknown_cohort', [{ field: 'cohort', reason: `there is no cohort ${cohortId}` }]);
  const { rows, issues, fileLevel } = parseApplicantsCsv(csv);

  // who is in the cohort already, by teacher reference number and by email
  const members = new Map<string, { studentId: string; fullName: string }>();
  for (const record of ledger.queries.records(cohortId)) {
    const personal = ledger.queries.personalDetails(record);
    if (!personal) continue;
    const who = { studentId: record.studentId, fullName: personal.fullName };
    if (personal.teacherReferenceNumber) members.set(`trn:${personal.teacherReferenceNumber}`, who);
    members.set(emailKey(personal.email), who);
  }

  const seen = new Map<string, number>();
  const toAdd: { row: number; data: ApplicantRow }[] = [];
  const outcome: UploadOutcome = { added: [], alreadyInCohort: [] };
  for (const r of rows) {
    const d = r.data;
    for (const [key, column] of [
      [d.teacher_reference_number ? `trn:${d.teacher_reference_number}` : null, 'teacher_reference_number'],
      [emailKey(d.email), 'email'],
    ] as const) {
      if (!key) continue;
      const first = seen.get(key);
      if (first !== undefined)
        issues.push(issue(r.row, column, `is the same as in row ${first}: each applicant once`));
      else seen.set(key, r.row);
    }
    const member = members.get(keyOf(d));
    if (member) {
      outcome.alreadyInCohort.push({
        row: r.row,
        ...member,
        matchedBy: d.teacher_reference_number ? 'teacher reference number' : 'email',
      });
      continue;
    }
    // Applied for the programme already, but not in this cohort: the same rule as POST /students.
    const elsewhere = ledger.applicants.find(cohort.programmeId, {
      email: d.email,
      teacherReferenceNumber: d.teacher_reference_number || null,
    });
    if (elsewhere)
      issues.push(
        issue(
          r.row,
          elsewhere.matchedBy === 'email' ? 'email' : 'teacher_reference_number',
          `is an applicant who already applied for ${cohort.programmeId} as student ${elsewhere.studentId}, not in this cohort: offer them a place on that record, or withdraw it first`,
        ),
      );
    else toAdd.push(r);
  }
  if (issues.length) {
    issues.sort((a, b) => a.row - b.row);
    const rowsWrong = new Set(issues.map((i) => i.row)).size;
    const list = issues.map((i) => `${i.field}: ${i.reason}`).join('; ');
    throw invalid(
      fileLevel ? 'invalid_csv' : 'invalid_csv_row',
      issues,
      fileLevel
        ? `the file cannot be imported; nothing was imported: ${list}`
        : `${rowsWrong} row(s) of the file need correcting; nothing was imported: ${list}`,
    );
  }

  // Applicants join on the cohort's start date; a cohort imported after it began is back-filled as of
  // its start (the statutory transition rule looks at when the course started).
  const on = cohort.startsOn < today ? cohort.startsOn : today;
  for (const [i, { row, data }] of toAdd.entries()) {
    const studentId = await registerApplicant(
      ledger,
      {
        personal: {
          fullName: data.full_name,
          email: data.email,
          dateOfBirth: data.date_of_birth,
          teacherReferenceNumber: data.teacher_reference_number || null,
        },
        programmeId: cohort.programmeId,
        school: { name: data.school_name, type: data.school_type },
        intake: cohort.intake === 'autumn' ? 'autumn' : 'spring',
        qts: data.qts_status,
        qtsAwardedOn: null,
        appointedOn: data.appointed_senco_on || null,
        priorSencoMonths: data.prior_senco_months,
        cohortId,
        appliedOn: on,
        offeredOn: on,
        enrolledOn: cohort.startsOn,
      },
      actor,
    );
    outcome.added.push({ row, studentId, fullName: data.full_name });
    onRow?.(i + 1);
  }
  return outcome;
}
