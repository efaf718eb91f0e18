import type { CohortState } from '../../../projections/cohorts.ts';
import { cohorts, eligibility, students } from '../../../projections/index.ts';
import type { ProjectionKey } from '../../../projections/projection.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { RowFilter } from '../../store/read-model-db.ts';
import { type Review, reviewOf } from './decisions.ts';
import { streamOf, studentOf } from './records.ts';
import type { QuerySources } from './sources.ts';

// Lists a page at a time, filtered and paged in the read-model database: a page is the rows after a key
// (the cursor: the last key of the page before) in key order, `LIMIT` one more than asked to know whether
// more follow, beside a count of all that match; only the page's states are read and judged, so a
// national ledger's list never travels whole. Keys never move, so adding rows never repeats or skips one.

export interface KeyPage<T> {
  items: T[];
  /** The key of the page's last item when more follow (the next page's `after`); null on the last page. */
  next: string | null;
  /** How many match, on every page together. */
  total: number;
}

export interface PageAfter {
  limit: number;
  /** The key the page starts after (absent: the first page). */
  after?: string | undefined;
}

function pageOf<S>(
  sources: QuerySources,
  projection: ProjectionKey<S>,
  where: RowFilter[],
  page: PageAfter,
  keyOf: (key: string) => string = (key) => key,
  toKey: (after: string) => string = (after) => after,
): KeyPage<{ key: string; state: S }> {
  const total = sources.projections.count(projection, { where });
  const seek: RowFilter[] =
    page.after === undefined ? where : [...where, { column: 'key', op: '>', value: toKey(page.after) }];
  const rows = sources.projections.select(projection, { where: seek, limit: page.limit + 1 });
  const items = rows.slice(0, page.limit);
  const more = rows.length > page.limit;
  return { items, next: more ? keyOf(items.at(-1)!.key) : null, total };
}

export interface StudentFilter {
  /** Enrolled on this cohort. */
  cohortId?: string | undefined;
  /** Only these cohorts' members (a tutor's or examiner's); absent: every student. */
  withinCohorts?: string[] | undefined;
  status?: 'applied' | 'enrolled' | 'interrupted' | 'withdrawn' | 'awarded' | undefined;
}

function studentRows(filter: StudentFilter): RowFilter[] {
  const where: RowFilter[] = [];
  if (filter.cohortId) where.push({ column: 'cohort_id', op: '=', value: filter.cohortId });
  if (filter.withinCohorts) where.push({ column: 'cohort_id', op: 'in', value: filter.withinCohorts });
  if (filter.status) where.push({ column: 'standing', op: '=', value: filter.status });
  return where;
}

/** A page of students by student id, filtered by their columns. */
export function studentsPage(
  sources: QuerySources,
  filter: StudentFilter,
  page: PageAfter,
): KeyPage<StudentRecord> {
  const found = pageOf(sources, students, studentRows(filter), page, studentOf, streamOf);
  return { ...found, items: found.items.map((row) => row.state) };
}

/**
 * The same page as `studentsPage`, as student ids only: no record is read, so a caller that works out
 * each record in turn (a page of 500 decisions) can let other requests in between the reads.
 */
export function studentIdsPage(
  sources: QuerySources,
  filter: StudentFilter,
  page: PageAfter,
): KeyPage<string> {
  const where = studentRows(filter);
  const total = sources.projections.count(students, { where });
  const after: RowFilter[] =
    page.after === undefined ? where : [...where, { column: 'key', op: '>', value: streamOf(page.after) }];
  const keys = sources.projections.keys(students, { where: after, limit: page.limit + 1 });
  const items = keys.slice(0, page.limit).map(studentOf);
  return { items, next: keys.length > page.limit ? items.at(-1)! : null, total };
}

/** A page of cohorts by cohort id: of those named, if any, and of one programme, if named. */
export function cohortsPage(
  sources: QuerySources,
  page: PageAfter,
  filter: { cohortIds?: string[] | undefined; programmeId?: string | undefined } = {},
): KeyPage<CohortState> {
  const where: RowFilter[] = [{ column: 'staff', op: 'not null' }];
  if (filter.cohortIds) where.push({ column: 'key', op: 'in', value: filter.cohortIds });
  if (filter.programmeId) where.push({ column: 'programme_id', op: '=', value: filter.programmeId });
  const found = pageOf(sources, cohorts, where, page);
  return { ...found, items: found.items.map((row) => row.state) };
}

/** A page of the awards flagged for review, by student id, each with its decision on `on`. */
export function reviewsPage(sources: QuerySources, page: PageAfter, on: string): KeyPage<Review> {
  const found = pageOf(sources, eligibility, [], page, studentOf, streamOf);
  return { ...found, items: found.items.flatMap(({ key, state }) => reviewOf(sources, key, state, on)) };
}
