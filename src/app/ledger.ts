import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { type AuditTrail, auditTrail } from '../../projections/audit-trail.ts';
import { cohortOverview } from '../../projections/cohort-overview.ts';
import { creditsFor } from '../../projections/credits.ts';
import { atRisk, resubmissionDeadlines, statutoryDeadline } from '../../projections/deadlines.ts';
import { decisionFor, type Reproduction, reproduceAward, specFor } from '../../projections/eligibility.ts';
import { londonDate } from '../domain/calendar.ts';
import type { CohortCommandName } from '../domain/cohort.ts';
import type { CommandName } from '../domain/commands.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import { assignmentsDeadline, outcomesDeadline, programmeDeadline } from '../domain/rules/deadlines.ts';
import { applyEvent, emptyRecord, foldRecord, type StudentRecord } from '../domain/student-record.ts';
import { notFound } from '../errors.ts';
import type { KeyStore } from '../privacy/keys.ts';
import { unseal } from '../privacy/seal.ts';
import type { EventStore } from '../store/port.ts';
import { CommandHandler, type CommandOptions, type CommandResult } from './handle-command.ts';
import { LiveProjections } from './live-projections.ts';
import { ProjectionRunner } from './projection-runner.ts';
import { loadSnapshot, type SnapshotLoad, saveSnapshot } from './snapshot.ts';

// The ledger as one object: the store, the live projections and the command handler wired together,
// and the queries the HTTP API, the CLI and the web pages share.

export interface LedgerDeps {
  store: EventStore;
  keys: KeyStore;
  reference: ReferenceData;
  clock?: () => Date;
  /** Where to keep a snapshot of the projections, so a restart resumes from its checkpoint. */
  snapshotPath?: string;
  /** How often to refresh the snapshot while running (ms); default one minute. */
  snapshotEveryMs?: number;
}

export interface AsOf {
  /** Only events at or before this global position. */
  position?: bigint;
  /** Only events the ledger had recorded by this instant ("as known at"). */
  knownAt?: string;
  /** Only facts that happened on or before this date (occurred-at), e.g. an exam board's date. */
  occurredBy?: string;
  /** The date to evaluate time limits on; defaults to the bound's date, or today. */
  on?: string;
}

export class Ledger {
  readonly store: EventStore;
  readonly keys: KeyStore;
  readonly reference: ReferenceData;
  readonly projections: LiveProjections;
  readonly runner: ProjectionRunner;
  readonly commands: CommandHandler;
  readonly clock: () => Date;
  private readonly snapshotPath: string | undefined;
  private readonly snapshotEveryMs: number;
  private snapshotTimer: NodeJS.Timeout | null = null;

  constructor(deps: LedgerDeps) {
    this.snapshotPath = deps.snapshotPath;
    this.snapshotEveryMs = deps.snapshotEveryMs ?? 60_000;
    this.store = deps.store;
    this.keys = deps.keys;
    this.reference = deps.reference;
    this.clock = deps.clock ?? (() => new Date());
    this.projections = new LiveProjections(deps.reference);
    this.runner = new ProjectionRunner(this.store, this.projections);
    this.commands = new CommandHandler({
      store: this.store,
      keys: this.keys,
      projections: this.projections,
      clock: this.clock,
    });
  }

  /** Builds the projections (from a snapshot if there is a good one, then the log after it), then follows the log. */
  async start(
    onProgress?: (applied: number) => void,
  ): Promise<{ applied: number; snapshot: SnapshotLoad | null }> {
    let snapshot: SnapshotLoad | null = null;
    if (this.snapshotPath) snapshot = await loadSnapshot(this.snapshotPath, this.projections, this.store);
    const applied = await this.runner.catchUp(onProgress);
    if (this.snapshotPath && applied > 0) await this.saveSnapshot();
    this.runner.start();
    if (this.snapshotPath) {
      let saved = this.projections.checkpoint;
      this.snapshotTimer = setInterval(() => {
        if (this.projections.checkpoint === saved) return;
        saved = this.projections.checkpoint;
        void this.saveSnapshot().catch((error) => console.warn('snapshot not saved:', error));
      }, this.snapshotEveryMs);
      this.snapshotTimer.unref();
    }
    return { applied, snapshot };
  }

  /** Snapshot (if any) plus catch-up, without following the log: for the command line. */
  async warmUp(onProgress?: (applied: number) => void): Promise<number> {
    if (this.snapshotPath) await loadSnapshot(this.snapshotPath, this.projections, this.store);
    return this.runner.catchUp(onProgress);
  }

  async saveSnapshot(): Promise<boolean> {
    return this.snapshotPath ? saveSnapshot(this.snapshotPath, this.projections, this.store) : false;
  }

  async close(): Promise<void> {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    await this.runner.stop();
    if (this.snapshotPath) await this.saveSnapshot().catch(() => false);
    await this.store.close();
    this.keys.close();
  }

  today(): string {
    return londonDate(this.clock());
  }

  // ---- commands: each waits until the live projections include what it wrote ----

  async execute(
    studentId: string | null,
    name: CommandName,
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    const result = await this.commands.student(
      studentId ? `student-${studentId}` : null,
      name,
      data,
      options,
    );
    await this.runner.waitFor(result.position);
    return result;
  }

  async executeCohort(
    cohortId: string,
    name: CohortCommandName,
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    const result = await this.commands.cohort(cohortId, name, data, options);
    await this.runner.waitFor(result.position);
    return result;
  }

  async publishSpecification(data: unknown, options: CommandOptions): Promise<CommandResult> {
    const result = await this.commands.publishSpecification(data, options);
    await this.runner.waitFor(result.position);
    return result;
  }

  // ---- queries ----

  record(studentId: string): StudentRecord {
    const record = this.projections.students.records.get(`student-${studentId}`);
    if (!record) throw notFound('unknown_student', `there is no student ${studentId}`, { studentId });
    return record;
  }

  /** Null once the record is erased, whether or not this process still finds the key (src/privacy/erasure.ts). */
  personalDetails(record: StudentRecord) {
    if (!record.application || record.erasure) return null;
    const details = unseal(this.keys, record.application.personal);
    const legacy = record.application.legacySchool;
    return details && !details.school && legacy ? { ...details, school: legacy } : details;
  }

  decision(studentId: string, on = this.today()) {
    const record = this.record(studentId);
    return decisionFor(record, this.reference, on);
  }

  credits(studentId: string) {
    return creditsFor(this.record(studentId), this.reference);
  }

  deadlines(studentId: string, on = this.today()) {
    const record = this.record(studentId);
    const spec = specFor(record, this.reference);
    return {
      statutory: statutoryDeadline(record, decisionFor(record, this.reference, on), on),
      programme: spec
        ? {
            outcomes: outcomesDeadline(record, spec, on),
            assignments: assignmentsDeadline(record, spec, on),
            programme: programmeDeadline(record, spec, on),
          }
        : { outcomes: null, assignments: null, programme: null },
      resubmissions: resubmissionDeadlines(record, on),
    };
  }

  atRisk(on = this.today(), cohortId?: string) {
    const entries = [...this.projections.students.records.values()]
      .filter((r) => !cohortId || r.enrolment?.cohortId === cohortId)
      .map((record) => ({ record, decision: decisionFor(record, this.reference, on) }));
    return atRisk(entries, on);
  }

  /** Awards a later event would change, with the decision as it was when flagged and as it is today. */
  reviewFlags(on = this.today()) {
    return [...this.projections.eligibility.flags.entries()].map(([streamId, flag]) => {
      const record = this.projections.students.records.get(streamId)!;
      return {
        studentId: streamId.slice('student-'.length),
        ...flag,
        decisionToday: decisionFor(record, this.reference, on)?.outcome ?? null,
      };
    });
  }

  async streamEvents(studentId: string): Promise<LedgerEvent[]> {
    this.record(studentId);
    return (await this.store.readStream(`student-${studentId}`)).map(toLedgerEvent);
  }

  async auditTrail(studentId: string): Promise<AuditTrail> {
    return auditTrail(`student-${studentId}`, await this.streamEvents(studentId));
  }

  /** The record, decision and credits as they stood at a bound in the past. */
  async asOf(studentId: string, bound: AsOf) {
    const events = filterAsOf(await this.streamEvents(studentId), bound);
    const record = foldRecord(`student-${studentId}`, events);
    const last = events[events.length - 1];
    const on =
      bound.on ??
      bound.occurredBy ??
      (bound.knownAt ? londonDate(bound.knownAt) : last ? londonDate(last.recordedAt) : this.today());
    return {
      bound: { ...bound, position: bound.position?.toString() },
      eventsIncluded: events.length,
      lastEvent: last
        ? { eventId: last.eventId, type: last.type, position: last.position, recordedAt: last.recordedAt }
        : null,
      evaluatedOn: on,
      record,
      decision: events.length ? decisionFor(record, this.reference, on) : null,
      credits: events.length ? creditsFor(record, this.reference) : null,
    };
  }

  /** The state after each event in turn: an examiner's step-by-step replay. */
  async replay(studentId: string, bound: AsOf = {}) {
    const events = filterAsOf(await this.streamEvents(studentId), bound);
    const record = emptyRecord(`student-${studentId}`);
    const trail = auditTrail(`student-${studentId}`, events);
    return events.map((e, i) => {
      applyEvent(record, e);
      const on = bound.on ?? londonDate(e.metadata.occurredAt);
      const decision = decisionFor(record, this.reference, on);
      return {
        step: i + 1,
        entry: trail.entries[i]!,
        outcome: decision?.outcome ?? null,
        creditsEarned: decision?.credits.earned ?? 0,
        creditsIncludingProvisional: decision?.credits.earnedIncludingProvisional ?? 0,
        outstanding: decision?.outstanding.length ?? null,
      };
    });
  }

  async reproduce(studentId: string): Promise<Reproduction[]> {
    const record = this.record(studentId);
    if (record.awards.length === 0) throw notFound('no_award', `student ${studentId} has no conferred award`);
    const events = await this.streamEvents(studentId);
    return record.awards.map((a) => reproduceAward(record.streamId, a, events, this.reference));
  }

  cohortOverview(cohortId: string, on = this.today()) {
    const cohort = this.projections.cohorts.cohorts.get(cohortId);
    if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
    const members = [...cohort.members].map((streamId) => {
      const record = this.projections.students.records.get(streamId)!;
      return { record, decision: decisionFor(record, this.reference, on) };
    });
    return cohortOverview(cohort, members);
  }

  cohortList() {
    return [...this.projections.cohorts.cohorts.values()];
  }

  studentIds(cohortId?: string): string[] {
    const out: string[] = [];
    for (const r of this.projections.students.records.values())
      if (!cohortId || r.enrolment?.cohortId === cohortId) out.push(r.studentId);
    return out;
  }
}

export function filterAsOf(events: LedgerEvent[], bound: AsOf): LedgerEvent[] {
  return events.filter(
    (e) =>
      (bound.position === undefined || e.position <= bound.position) &&
      (bound.knownAt === undefined || e.recordedAt <= bound.knownAt) &&
      (bound.occurredBy === undefined || londonDate(e.metadata.occurredAt) <= bound.occurredBy),
  );
}
