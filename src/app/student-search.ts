import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { Code } from '../../events/common.ts';
import type { RowFilter } from '../store/read-model-db.ts';
import { standingOf } from './cohort-register.ts';
import type { Ledger } from './ledger.ts';
import type { SearchView } from './staff-views-schema.ts';

// Finding a student as registry staff do: by name, email, teacher reference number or student number
// (the student id, or the last eight characters the pages show). The candidates come from the students
// read model's columns, filtered in the database by placement cohort and standing; no record is decoded
// to find or sort them. Personal data is sealed, so a search by text, or a sort by name, unseals each
// candidate's sealed column; nothing unsealed is kept after the answer. The page shown is the only part
// whose records are read, and whose decisions are worked out.

/** How a student stands today (src/app/cohort-register.ts, standingOf): a filter of the lists. */
export const StudentStatus = z.enum(['applied', 'enrolled', 'interrupted', 'withdrawn', 'awarded']);

export const StudentSearchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('name, email, teacher reference number or student number'),
  cohortId: Code.optional(),
  status: StudentStatus.optional(),
  sort: z.enum(['name', 'cohort', 'status', 'studentId']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1, 'pages count from 1').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, 'at most 200 a page').default(25),
});
export type StudentSearchQuery = z.infer<typeof StudentSearchQuery>;

/** A student found, before their record is read: what the sort and the text match need, from columns. */
interface Candidate {
  studentId: string;
  /** What the chosen sort orders by (SORT_KEY below). */
  key: string;
  matchedBy: string[];
}

/** The columns each sort orders by (a name is unsealed from `sealed_personal`). */
const SORT_COLUMN = {
  name: 'sealed_personal',
  cohort: 'placement_cohort_id',
  status: 'standing',
  studentId: null,
} as const;

type Row = { studentId: string } & Partial<
  Record<'sealed_personal' | 'placement_cohort_id' | 'standing', string | number | null>
>;

/** The sort's key for a row, as the search has always sorted (nobody named, or no cohort: `~`). */
const SORT_KEY: Record<StudentSearchQuery['sort'], (row: Row, name: string | null) => string> = {
  name: (row, name) => name ?? `~${row.studentId}`,
  cohort: (row) => (row.placement_cohort_id as string | null) ?? '~',
  status: (row) => row.standing as string,
  studentId: (row) => row.studentId,
};

// localeCompare(b, 'en-GB') and localeCompare(b) are these collators' compare (ECMA-402), made once
const byKey = new Intl.Collator('en-GB').compare;
const byStudentId = new Intl.Collator().compare;

/**
 * What a search text (lower case) matches in a student's record: their name, email, teacher reference
 * number (digits only) or student number. `personal` is null where it is erased or not to be shown, and
 * then the student number alone can match.
 */
export function matchesOf(
  q: string,
  studentId: string,
  personal: { fullName: string; email: string; teacherReferenceNumber?: string | null } | null | undefined,
): string[] {
  const matchedBy: string[] = [];
  if (personal?.fullName.toLowerCase().includes(q)) matchedBy.push('name');
  if (personal?.email.toLowerCase().includes(q)) matchedBy.push('email');
  if (/^\d+$/.test(q) && personal?.teacherReferenceNumber?.includes(q))
    matchedBy.push('teacher reference number');
  if (studentId.includes(q)) matchedBy.push('student number');
  return matchedBy;
}

/** Details unsealed between two turns of the event loop while a search goes through the whole ledger. */
const UNSEALS_A_TURN = 100;

/** The cohort and status filters, as the students' columns answer them. */
function filtersOf(query: StudentSearchQuery): RowFilter[] {
  const where: RowFilter[] = [];
  if (query.cohortId) where.push({ column: 'placement_cohort_id', op: '=', value: query.cohortId });
  if (query.status) where.push({ column: 'standing', op: '=', value: query.status });
  return where;
}

/** Every student the query finds, with their sort key: from columns, unsealing only for a text or a name. */
async function candidatesOf(ledger: Ledger, query: StudentSearchQuery, q: string): Promise<Candidate[]> {
  const where = filtersOf(query);
  const sortColumn = SORT_COLUMN[query.sort];
  const columns = new Set<string>(sortColumn ? [sortColumn] : []);
  if (q) columns.add('sealed_personal');
  const unsealing = columns.has('sealed_personal');
  const key = SORT_KEY[query.sort];
  const found: Candidate[] = [];
  let unsealed = 0;
  for (const page of ledger.queries.studentColumns(where, [...columns])) {
    for (const row of page as Row[]) {
      let name: string | null = null;
      let matchedBy: string[] = [];
      if (unsealing) {
        const sealed = row.sealed_personal;
        const personal = typeof sealed === 'string' ? ledger.queries.unsealColumn(sealed) : null;
        // a search through every student's details (seconds at a national ledger's size): the server
        // answers other requests (/health, a tutor's page) in between rather than after it
        if (typeof sealed === 'string' && ++unsealed % UNSEALS_A_TURN === 0) await nextTurn();
        matchedBy = q ? matchesOf(q, row.studentId, personal) : [];
        if (q && matchedBy.length === 0) continue;
        name = personal?.fullName ?? null;
      }
      found.push({ studentId: row.studentId, key: key(row, name), matchedBy });
    }
    await nextTurn();
  }
  return found;
}

/**
 * Every student the filters find, in order of name, with no text to match: the ledger's order of names
 * (src/app/name-order.ts), kept between searches, filtered by the columns. The same order the sort
 * below gives, without unsealing every student's details at each search.
 */
async function byName(ledger: Ledger, query: StudentSearchQuery): Promise<Candidate[]> {
  const where = filtersOf(query);
  const order = await ledger.studentsByName.sorted();
  let ids: readonly string[] = order;
  if (where.length) {
    const wanted = new Set<string>();
    for (const page of ledger.queries.studentColumns(where, []))
      for (const row of page) wanted.add(row.studentId);
    ids = order.filter((id) => wanted.has(id));
  }
  const found = ids.map((studentId) => ({ studentId, key: '', matchedBy: [] }));
  return query.order === 'asc' ? found : found.reverse();
}

export async function searchStudents(
  ledger: Ledger,
  query: StudentSearchQuery,
): Promise<z.infer<typeof SearchView>> {
  const q = (query.q ?? '').toLowerCase();
  const found =
    !q && query.sort === 'name' ? await byName(ledger, query) : await candidatesOf(ledger, query, q);
  if (q || query.sort !== 'name') {
    const sign = query.order === 'asc' ? 1 : -1;
    found.sort((a, b) => sign * (byKey(a.key, b.key) || byStudentId(a.studentId, b.studentId)));
  }
  const pages = Math.max(1, Math.ceil(found.length / query.pageSize));
  const page = Math.min(query.page, pages);
  const shown = found.slice((page - 1) * query.pageSize, page * query.pageSize).map((s) => {
    const record = ledger.queries.record(s.studentId);
    const personal = ledger.queries.personalDetails(record);
    const decision = ledger.queries.decisionOn(record);
    return {
      studentId: s.studentId,
      name: personal?.fullName ?? null,
      email: personal?.email ?? null,
      teacherReferenceNumber: personal?.teacherReferenceNumber ?? null,
      erased: record.erasure !== null,
      cohortId: record.enrolment?.cohortId ?? record.offer?.cohortId ?? null,
      programme: record.enrolment
        ? `${record.enrolment.programmeId} v${record.enrolment.specVersion}`
        : (record.application?.programmeId ?? null),
      status: standingOf(record),
      matchedBy: s.matchedBy,
      outcome: decision?.outcome ?? null,
      creditsEarned: decision?.credits.earned ?? 0,
      creditsRequired: decision?.credits.required ?? null,
    };
  });
  return {
    total: found.length,
    page,
    pages,
    pageSize: query.pageSize,
    sort: query.sort,
    order: query.order,
    students: shown,
  };
}
