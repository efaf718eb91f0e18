import { students } from '../../../projections/index.ts';
import { londonDate } from '../../domain/calendar.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { RowFilter } from '../../store/read-model-db.ts';
import { cohortIdsOf, cohortList, cohortOverview, cohortSummary, findCohort } from './cohorts.ts';
import { atRiskOf, deadlines } from './deadlines.ts';
import { creditsFor, decisionFor, reviewFlag, reviews } from './decisions.ts';
import { type ExamBoardView, examBoardChunks, examBoardCsv } from './exam-board.ts';
import { type AsOf, asOf, asOfView, auditTrailOf, replay, reproduce, streamEvents } from './history.ts';
import {
  cohortsPage,
  type KeyPage,
  type PageAfter,
  reviewsPage,
  type StudentFilter,
  studentIdsPage,
  studentsPage,
} from './lists.ts';
import { recordView, studentSummary } from './record-view.ts';
import {
  findRecord,
  personalDetails,
  record,
  records,
  standingApplicants,
  studentColumns,
  studentIds,
  unsealColumn,
} from './records.ts';
import { readiness } from './service.ts';
import type { QuerySources } from './sources.ts';

// Every read the API, the command line and the web pages make, in one place: computed from the live
// projections (and, for histories, the student's stream) on the date asked, today by default.

export type { AsOf, KeyPage, PageAfter, QuerySources, StudentFilter };

export class Queries {
  constructor(private readonly sources: QuerySources) {}

  /** Today in Europe/London, by the ledger's clock. */
  today(): string {
    return londonDate(this.sources.clock());
  }

  record(studentId: string): StudentRecord {
    return record(this.sources, studentId);
  }

  findRecord(studentId: string): StudentRecord | undefined {
    return findRecord(this.sources, studentId);
  }

  /** Every record, or a cohort's, read from the database a page at a time. */
  records(cohortId?: string): Iterable<StudentRecord> {
    return records(this.sources, cohortId);
  }

  /** Students' columns by their columns, in student id order, a page at a time: no record read. */
  studentColumns<C extends string>(where: RowFilter[], columns: readonly C[]) {
    return studentColumns(this.sources, where, columns);
  }

  /** Student ids in order, without reading their records. */
  studentIds(cohortId?: string): string[] {
    return studentIds(this.sources, cohortId);
  }

  /** Students whose erasure is recorded (the erased column). */
  erasedStudentIds(): string[] {
    return this.sources.projections
      .keys(students, { where: [{ column: 'erased', op: '=', value: 1 }] })
      .map((key) => key.slice('student-'.length));
  }

  /** A page of students by student id after `page.after`, filtered and paged in the database. */
  studentsPage(filter: StudentFilter, page: PageAfter) {
    return studentsPage(this.sources, filter, page);
  }

  studentIdsPage(filter: StudentFilter, page: PageAfter) {
    return studentIdsPage(this.sources, filter, page);
  }

  personalDetails(r: StudentRecord) {
    return personalDetails(this.sources, r);
  }

  /** Who applied for a programme and still stands, with their sealed details (from columns, no record read). */
  standingApplicants(programmeId: string) {
    return standingApplicants(this.sources, programmeId);
  }

  /** Sealed details as a column keeps them, in clear (null while the key is not found). */
  unsealColumn(sealed: string) {
    return unsealColumn(this.sources, sealed);
  }

  /** The record as the API shows it; personal details in clear only when `showPersonal`. */
  recordView(r: StudentRecord, showPersonal: boolean) {
    return recordView(this.sources, r, showPersonal);
  }

  /** One line of the students list, with the decision today. */
  studentSummary(r: StudentRecord, showPersonal: boolean) {
    return studentSummary(this.sources, r, this.today(), showPersonal);
  }

  decision(studentId: string, on = this.today()) {
    return decisionFor(record(this.sources, studentId), this.sources.reference, on);
  }

  /** The decision on a record the caller has already read (not read again). */
  decisionOn(r: StudentRecord, on = this.today()) {
    return decisionFor(r, this.sources.reference, on);
  }

  credits(studentId: string) {
    return creditsFor(this.sources, record(this.sources, studentId));
  }

  deadlines(studentId: string, on = this.today()) {
    return deadlines(this.sources, record(this.sources, studentId), on);
  }

  /** Everyone at risk of a statutory deadline (of one cohort, if named), nearest first. */
  atRisk(on = this.today(), cohortId?: string) {
    return atRiskOf(this.sources, on, cohortId);
  }

  reviewFlag(studentId: string) {
    return reviewFlag(this.sources, record(this.sources, studentId));
  }

  reviews(on = this.today()) {
    return reviews(this.sources, on);
  }

  /** A page of the awards flagged for review. */
  reviewsPage(page: PageAfter, on = this.today()) {
    return reviewsPage(this.sources, page, on);
  }

  /** The student's events as the log holds them, upcast to their current versions. */
  streamEvents(studentId: string) {
    return streamEvents(this.sources, studentId);
  }

  auditTrail(studentId: string) {
    return auditTrailOf(this.sources, studentId);
  }

  asOf(studentId: string, bound: AsOf) {
    return asOf(this.sources, studentId, bound, this.today());
  }

  /** The record, decision and credits at a bound, the record reduced to its revision (as the API shows it). */
  asOfView(studentId: string, bound: AsOf) {
    return asOfView(this.sources, studentId, bound, this.today());
  }

  replay(studentId: string, bound: AsOf = {}) {
    return replay(this.sources, studentId, bound);
  }

  reproduce(studentId: string) {
    return reproduce(this.sources, studentId);
  }

  cohorts() {
    return cohortList(this.sources);
  }

  /** The cohorts a tutor or an external examiner is assigned to. */
  cohortIdsOf(role: 'tutor' | 'examiner', staffId: string): string[] {
    return cohortIdsOf(this.sources, role, staffId);
  }

  /** The cohorts as the API lists them (staff as lists, members as a count). */
  cohortSummaries(cohortIds?: (cohortId: string) => boolean) {
    return cohortList(this.sources)
      .filter((c) => !cohortIds || cohortIds(c.cohortId))
      .map((c) => cohortSummary(this.sources, c));
  }

  /** A page of the cohorts by cohort id (of those named, of one programme, if named), as the API lists them. */
  cohortsPage(
    page: PageAfter,
    filter: { cohortIds?: string[] | undefined; programmeId?: string | undefined },
  ) {
    const found = cohortsPage(this.sources, page, filter);
    return { ...found, items: found.items.map((c) => cohortSummary(this.sources, c)) };
  }

  findCohort(cohortId: string) {
    return findCohort(this.sources, cohortId);
  }

  cohortOverview(cohortId: string, on = this.today()) {
    return cohortOverview(this.sources, cohortId, on);
  }

  /** The overview as the API shows it. */
  cohortOverviewView(cohortId: string, on = this.today()) {
    const { cohort, counts, rows } = cohortOverview(this.sources, cohortId, on);
    return { cohort: cohortSummary(this.sources, cohort), counts, rows };
  }

  /** The exam-board export, as CSV; with `knownAt`, the marks as a past board saw them. */
  examBoardCsv(cohortId: string, view: Partial<ExamBoardView> = {}): Promise<string> {
    return examBoardCsv(this.sources, cohortId, { ...view, on: view.on ?? this.today() });
  }

  /** The same export as it is written, a student's rows at a time (an unknown cohort refused first). */
  examBoardChunks(cohortId: string, view: Partial<ExamBoardView> = {}): AsyncGenerator<string> {
    return examBoardChunks(this.sources, cohortId, { ...view, on: view.on ?? this.today() });
  }

  specifications() {
    return this.sources.reference.listSpecifications();
  }

  specification(programmeId: string, version: number) {
    return this.sources.reference.specification(programmeId, version);
  }

  frameworks() {
    return this.sources.reference.listFrameworks();
  }

  /** Readiness: the projections follow the store. */
  readiness() {
    return readiness(this.sources);
  }

  /** Walks the hash chain and reports the first broken link. */
  verify(onProgress?: (eventsChecked: number) => void) {
    return this.sources.store.verify(onProgress ? { onProgress } : {});
  }
}
