import { currentVersion, type LedgerEvent } from '../events/index.ts';
import type { PersonalDetails } from '../events/personal.ts';
import { cohorts } from '../projections/cohorts.ts';
import { fold, type ProjectionContext } from '../projections/projection.ts';
import { occurredAtOf } from '../src/domain/calendar.ts';
import type { Command } from '../src/domain/commands.ts';
import { decideCohort } from '../src/domain/decide/cohort.ts';
import type { Decided } from '../src/domain/decide/context.ts';
import { decide } from '../src/domain/decide/index.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import { applyEvent, emptyRecord, type StudentRecord } from '../src/domain/student-record.ts';
import { LedgerError } from '../src/errors.ts';
import type { Actor, EventToAppend, ExpectedRevision } from '../src/store/port.ts';
import { type BenchCohort, benchCohort, COHORT_COUNT, cohortSteps } from './cohorts.ts';
import { type StudentHistory, studentHistory } from './histories.ts';
import { sealWith } from './keys.ts';
import { Prng } from './prng.ts';

// The synthetic log: student histories (bench/histories.ts) run through the real, pure decider
// (src/domain/decide/) exactly as the command handler would run them, so every event is the one the
// ledger itself would have written, and every refusal the rules make is honoured. The events come out
// in the order of an import into an empty store: a cohort's own stream when its first student appears,
// then each student's whole history as one append. Ids come from a seeded generator, dates from the
// histories: the same seed gives the same log, and a smaller log is a prefix of a larger one.

export const BENCH_SEED = 20_240_831;

export interface GeneratedAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: EventToAppend[];
}

export interface GeneratedStudent {
  history: StudentHistory;
  studentId: string;
  streamId: string;
  events: EventToAppend[];
  /** The record as the events leave it (positions as an import into an empty store assigns them). */
  record: StudentRecord;
}

export class SyntheticLog {
  /** Events generated so far; an import into an empty store gives the last one this position. */
  eventCount = 0;
  /** The next student to generate. */
  nextStudent: number;
  private readonly created = new Set<number>();
  private readonly cohortPlans = new Map<number, BenchCohort>();
  private readonly cohorts = cohorts.initial();
  /** The cohorts projection reads nothing from its context. */
  private readonly context: ProjectionContext;
  private readonly occurredAt = new Map<string, string>();

  constructor(
    readonly reference: ReferenceData,
    readonly seed = BENCH_SEED,
    fromStudent = 0,
  ) {
    this.nextStudent = fromStudent;
    this.context = {
      reference,
      read: () => {
        throw new Error('the generator keeps only the cohorts projection');
      },
    };
  }

  /** Appends in log order until `maxEvents` (the last one cut short to fit) or `maxStudents` students. */
  *appends(limits: { maxEvents?: number; maxStudents?: number }): Generator<GeneratedAppend> {
    const maxEvents = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    const lastStudent = this.nextStudent + (limits.maxStudents ?? Number.POSITIVE_INFINITY);
    while (this.eventCount < maxEvents && this.nextStudent < lastStudent) {
      for (const append of this.next().appends) {
        const room = maxEvents - this.eventCount;
        if (room <= 0) return;
        const events = append.events.length > room ? append.events.slice(0, room) : append.events;
        this.eventCount += events.length;
        yield { ...append, events };
      }
    }
  }

  /** The next student: its cohort's stream first if this is the cohort's first student, then its history. */
  next(): { appends: GeneratedAppend[]; student: GeneratedStudent } {
    const index = this.nextStudent % COHORT_COUNT;
    let cohort = this.cohortPlans.get(index);
    if (!cohort) {
      cohort = benchCohort(this.reference, index);
      this.cohortPlans.set(index, cohort);
    }
    const appends: GeneratedAppend[] = [];
    if (!this.created.has(cohort.index)) appends.push(this.cohortAppend(cohort));
    const student = this.student(this.nextStudent++, cohort);
    appends.push({ streamId: student.streamId, expectedRevision: 'no_stream', events: student.events });
    return { appends, student };
  }

  /** One student's history through the decider, as events. */
  private student(index: number, cohort: BenchCohort): GeneratedStudent {
    const history = studentHistory(this.reference, cohort, index, this.seed);
    const ids = new Prng(this.seed, index, 2);
    const studentId = this.newId(ids);
    const streamId = `student-${studentId}`;
    const record = emptyRecord(streamId);
    const events: EventToAppend[] = [];
    const context = {
      reference: this.reference,
      cohort: (id: string) => this.cohorts.cohorts.get(id),
    };
    for (const step of history.steps) {
      const data = typeof step.data === 'function' ? step.data(record) : step.data;
      if (data === null) continue;
      let command = { name: step.name, data } as Command;
      if (step.name === 'submitApplication') {
        const { personal, ...rest } = data as { personal: PersonalDetails };
        command = {
          name: 'submitApplication',
          data: { ...rest, studentId, personal: sealWith(studentId, personal, ids.bytes(12)) },
        } as Command;
      }
      let decided: Decided[];
      try {
        decided = decide(record.revision < 0n ? null : record, command, {
          ...context,
          actor: step.actor,
          today: step.on,
        });
      } catch (error) {
        if (error instanceof LedgerError && error.code === step.unlessRefused) continue;
        throw new Error(
          `student ${index} (${history.profile}), ${step.name} on ${step.on}: ${String(error)}`,
        );
      }
      const correlationId = this.newId(ids);
      for (const d of decided) {
        const event = this.toAppend(ids, d, step.actor, correlationId);
        applyEvent(record, this.asRecorded(event, streamId, BigInt(events.length)));
        events.push(event);
      }
    }
    return { history, studentId, streamId, events, record };
  }

  private cohortAppend(cohort: BenchCohort): GeneratedAppend {
    this.created.add(cohort.index);
    const ids = new Prng(this.seed, cohort.index, 3);
    const streamId = `cohort-${cohort.cohortId}`;
    const events: EventToAppend[] = [];
    for (const step of cohortSteps(cohort)) {
      const decided = decideCohort(
        this.cohorts.cohorts.get(cohort.cohortId),
        { name: step.name, data: step.data } as never,
        { reference: this.reference, today: step.on },
      );
      const correlationId = this.newId(ids);
      for (const event of decided) {
        const e = this.toAppend(ids, { event, occurredOn: step.on }, step.actor, correlationId);
        fold(cohorts, [this.asRecorded(e, streamId, BigInt(events.length))], this.context, this.cohorts);
        events.push(e);
      }
    }
    return { streamId, expectedRevision: 'no_stream', events };
  }

  private toAppend(ids: Prng, d: Decided, actor: Actor, correlationId: string): EventToAppend {
    let occurredAt = this.occurredAt.get(d.occurredOn);
    if (occurredAt === undefined) {
      occurredAt = occurredAtOf(d.occurredOn);
      this.occurredAt.set(d.occurredOn, occurredAt);
    }
    return {
      eventId: this.newId(ids),
      type: d.event.type,
      schemaVersion: currentVersion(d.event.type),
      data: d.event.data,
      metadata: { actor, occurredAt, correlationId, causationId: null },
    };
  }

  /** The event as the log will hand it back (recorded-at and hash are the store's; not needed here). */
  private asRecorded(e: EventToAppend, streamId: string, revision: bigint): LedgerEvent {
    this.position++;
    return {
      type: e.type,
      data: e.data,
      eventId: e.eventId,
      streamId,
      revision,
      position: this.position,
      recordedAt: e.metadata.occurredAt,
      metadata: e.metadata,
      schemaVersion: e.schemaVersion,
      hash: '',
    } as LedgerEvent;
  }

  /** Position counter for events folded so far (cohort and student events, in generation order). */
  private position = 0n;
  /** How many ids have been issued: ids are uuid v7, growing in generation order like real ones. */
  private issued = 0;

  private newId(rng: Prng): string {
    return rng.uuidV7(this.issued++);
  }
}
