import { students } from '../../../projections/index.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import { notFound } from '../../errors.ts';
import { unseal } from '../../privacy/seal.ts';
import type { RowFilter } from '../../store/read-model-db.ts';
import type { QuerySources } from './sources.ts';

// Student records as the students read model keeps them (one row a student, read through a cache), and
// their sealed personal details.

export const streamOf = (studentId: string) => `student-${studentId}`;
export const studentOf = (streamId: string) => streamId.slice('student-'.length);

export function findRecord(sources: QuerySources, studentId: string): StudentRecord | undefined {
  return sources.projections.get(students, streamOf(studentId));
}

export function record(sources: QuerySources, studentId: string): StudentRecord {
  const found = findRecord(sources, studentId);
  if (!found) throw notFound('unknown_student', `there is no student ${studentId}`, { studentId });
  return found;
}

/** Refuses an unknown student as `record` does, without reading (decoding) the record. */
export function assertStudent(sources: QuerySources, studentId: string): void {
  if (!sources.projections.has(students, streamOf(studentId)))
    throw notFound('unknown_student', `there is no student ${studentId}`, { studentId });
}

/** How many rows a list reads at a time: a page in memory, never the whole read model. */
const PAGE = 200;

/** Records by their columns, in student id order, read a page at a time. */
export function* recordsWhere(sources: QuerySources, where: RowFilter[]): Generator<StudentRecord> {
  let after: string | null = null;
  for (;;) {
    const page: { key: string; state: StudentRecord }[] = sources.projections.select(students, {
      where: after === null ? where : [...where, { column: 'key', op: '>', value: after }],
      limit: PAGE,
    });
    for (const row of page) yield row.state;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.key;
  }
}

/** How many rows' columns a list reads at a time (a few hundred bytes each, no state). */
const COLUMNS_PAGE = 1000;

/**
 * Students' columns (no record read or decoded), with their student ids, in student id order: a page of
 * rows at a time, so a caller can let other requests in between the pages.
 */
export function* studentColumns<C extends string>(
  sources: QuerySources,
  where: RowFilter[],
  columns: readonly C[],
): Generator<({ key: string; studentId: string } & Record<C, string | number | null>)[]> {
  let after: string | null = null;
  for (;;) {
    const page: ({ key: string } & Record<C, string | number | null>)[] = sources.projections.columns(
      students,
      columns,
      {
        where: after === null ? where : [...where, { column: 'key', op: '>', value: after }],
        limit: COLUMNS_PAGE,
      },
    );
    yield page.map((row) => ({ ...row, studentId: studentOf(row.key) }));
    if (page.length < COLUMNS_PAGE) return;
    after = page[page.length - 1]!.key;
  }
}

/** Every record, or those enrolled on one cohort (the cohort column's index). */
export function records(sources: QuerySources, cohortId?: string): Generator<StudentRecord> {
  return recordsWhere(sources, cohortId ? [{ column: 'cohort_id', op: '=', value: cohortId }] : []);
}

/** The ids of every student, or of those enrolled on one cohort, without reading their records. */
export function studentIds(sources: QuerySources, cohortId?: string): string[] {
  return sources.projections
    .keys(students, { where: cohortId ? [{ column: 'cohort_id', op: '=', value: cohortId }] : [] })
    .map(studentOf);
}

/** The details in clear, or null once erased (src/privacy/erasure.ts) or for a record with no application. */
export function personalDetails(sources: QuerySources, r: StudentRecord) {
  if (!r.application || r.erasure) return null; // erased, whether or not this process still finds the key
  const details = unseal(sources.keys, r.application.personal);
  const legacy = r.application.legacySchool;
  return details && !details.school && legacy ? { ...details, school: legacy } : details;
}

/** The standings of an applicant who still stands (not withdrawn): whom an application may duplicate. */
export const STANDING_APPLICANT: ReadonlySet<string> = new Set([
  'applied',
  'enrolled',
  'interrupted',
  'awarded',
]);

/**
 * The students who applied for a programme and still stand (not withdrawn, not erased), with their sealed
 * details: read from the columns, no record decoded (what an application's duplicate is looked for among).
 */
export function standingApplicants(sources: QuerySources, programmeId: string) {
  return sources.projections
    .values(students, 'sealed_personal', {
      where: [
        { column: 'programme_id', op: '=', value: programmeId },
        { column: 'erased', op: '=', value: 0 },
        { column: 'standing', op: 'in', value: [...STANDING_APPLICANT] },
      ],
    })
    .flatMap(({ key, value }) =>
      typeof value === 'string' ? [{ studentId: studentOf(key), sealed: value }] : [],
    );
}

/** Sealed details as the sealed_personal column keeps them, in clear (null while the key is not found). */
export function unsealColumn(sources: QuerySources, sealed: string) {
  return unseal(sources.keys, JSON.parse(sealed));
}
