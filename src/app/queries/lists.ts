import { z } from 'zod';
import { cohorts, students } from '../../../projections/index.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { RowFilter, RowQuery } from '../../store/read-model-db.ts';
import { cohortSummary } from './cohorts.ts';
import { reviewCount, reviews } from './decisions.ts';
import { studentSummary } from './record-view.ts';
import type { QuerySources } from './sources.ts';

// Lists a page at a time, filtered, sorted and paged in the read-model database (its indexed columns):
// only the page's records are read and judged, so a national ledger's list never travels whole. The
// routes (src/http) call these with the paging parameters they take.

export const ListPageSchema = z.object({
  page: z.coerce.number().int().min(1, 'pages count from 1').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, 'at most 200 a page').default(50),
});
export type ListPage = z.infer<typeof ListPageSchema>;

export interface Paged<T> {
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  items: T[];
}

/** The page asked for, moved back to the last one when past the end. */
function window(
  total: number,
  asked: ListPage,
): { page: number; pages: number; limit: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / asked.pageSize));
  const page = Math.min(asked.page, pages);
  return { page, pages, limit: asked.pageSize, offset: (page - 1) * asked.pageSize };
}

export interface StudentList extends ListPage {
  /** Enrolled on this cohort. */
  cohortId?: string;
  /** Only these cohorts' members (a tutor's or examiner's); absent: every student. */
  withinCohorts?: string[];
  status?: 'applied' | 'enrolled' | 'interrupted' | 'withdrawn' | 'awarded';
  sort?: 'studentId' | 'cohort' | 'status';
  order?: 'asc' | 'desc';
  /** The date decisions are judged on. */
  on?: string;
}

const SORT_COLUMN = { studentId: 'key', cohort: 'cohort_id', status: 'standing' } as const;

export function listStudents(
  sources: QuerySources,
  list: StudentList,
  on: string,
  showPersonal: (r: StudentRecord) => boolean,
) {
  const where: RowFilter[] = [];
  if (list.cohortId) where.push({ column: 'cohort_id', op: '=', value: list.cohortId });
  if (list.withinCohorts) where.push({ column: 'cohort_id', op: 'in', value: list.withinCohorts });
  if (list.status) where.push({ column: 'standing', op: '=', value: list.status });
  const total = sources.projections.count(students, { where });
  const w = window(total, list);
  const query: RowQuery = {
    where,
    orderBy: [{ column: SORT_COLUMN[list.sort ?? 'studentId'], desc: list.order === 'desc' }],
    limit: w.limit,
    offset: w.offset,
  };
  const items = sources.projections
    .select(students, query)
    .map(({ state }) => studentSummary(sources, state, on, showPersonal(state)));
  return { total, page: w.page, pages: w.pages, pageSize: list.pageSize, items };
}

export function listReviews(sources: QuerySources, asked: ListPage, on: string) {
  const total = reviewCount(sources);
  const w = window(total, asked);
  return { total, page: w.page, pages: w.pages, pageSize: asked.pageSize, items: reviews(sources, on, w) };
}

export function listCohorts(sources: QuerySources, asked: ListPage, cohortIds?: string[]) {
  const where: RowFilter[] = [{ column: 'staff', op: 'not null' }];
  if (cohortIds) where.push({ column: 'key', op: 'in', value: cohortIds });
  const total = sources.projections.count(cohorts, { where });
  const w = window(total, asked);
  const items = sources.projections
    .select(cohorts, { where, limit: w.limit, offset: w.offset })
    .map(({ state }) => cohortSummary(sources, state));
  return { total, page: w.page, pages: w.pages, pageSize: asked.pageSize, items };
}
