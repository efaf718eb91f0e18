import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { Code } from '../../events/common.ts';
import { standingOf } from './cohort-register.ts';
import type { Ledger } from './ledger.ts';
import type { SearchView } from './staff-views-schema.ts';

// Finding a student as registry staff do: by name, email, teacher reference number or student number
// (the student id, or the last eight characters the pages show). Personal data is sealed in the log, so
// each record's details are unsealed to be matched; nothing unsealed is kept after the answer. Results
// are sorted and paged here, so a national ledger's list never travels whole; the decision is worked out
// for the page of results only.

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

interface Found {
  studentId: string;
  name: string | null;
  email: string | null;
  teacherReferenceNumber: string | null;
  erased: boolean;
  cohortId: string | null;
  programme: string | null;
  status: ReturnType<typeof standingOf>;
  matchedBy: string[];
}

const SORT_KEY: Record<StudentSearchQuery['sort'], (s: Found) => string> = {
  name: (s) => s.name ?? `~${s.studentId}`,
  cohort: (s) => s.cohortId ?? '~',
  status: (s) => s.status,
  studentId: (s) => s.studentId,
};

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

/** Records read between two turns of the event loop while a search goes through the whole ledger. */
const RECORDS_A_TURN = 100;

export async function searchStudents(
  ledger: Ledger,
  query: StudentSearchQuery,
): Promise<z.infer<typeof SearchView>> {
  const q = (query.q ?? '').toLowerCase();
  const found: Found[] = [];
  let read = 0;
  for (const record of ledger.queries.records()) {
    // Every record is read and its details unsealed (about a minute at 10M events): the server answers
    // other requests (/health, a tutor's page) in between rather than after it.
    if (++read % RECORDS_A_TURN === 0) await nextTurn();
    const cohortId = record.enrolment?.cohortId ?? record.offer?.cohortId ?? null;
    if (query.cohortId && cohortId !== query.cohortId) continue;
    const status = standingOf(record);
    if (query.status && status !== query.status) continue;
    const personal = ledger.queries.personalDetails(record);
    const matchedBy = q ? matchesOf(q, record.studentId, personal) : [];
    if (q && matchedBy.length === 0) continue;
    found.push({
      studentId: record.studentId,
      name: personal?.fullName ?? null,
      email: personal?.email ?? null,
      teacherReferenceNumber: personal?.teacherReferenceNumber ?? null,
      erased: record.erasure !== null,
      cohortId,
      programme: record.enrolment
        ? `${record.enrolment.programmeId} v${record.enrolment.specVersion}`
        : (record.application?.programmeId ?? null),
      status,
      matchedBy,
    });
  }
  const key = SORT_KEY[query.sort];
  const sign = query.order === 'asc' ? 1 : -1;
  found.sort(
    (a, b) => sign * (key(a).localeCompare(key(b), 'en-GB') || a.studentId.localeCompare(b.studentId)),
  );
  const pages = Math.max(1, Math.ceil(found.length / query.pageSize));
  const page = Math.min(query.page, pages);
  const shown = found.slice((page - 1) * query.pageSize, page * query.pageSize).map((s) => {
    const decision = ledger.queries.decision(s.studentId);
    return {
      ...s,
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
