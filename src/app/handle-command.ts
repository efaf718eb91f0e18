import type { z } from 'zod';
import type { Actor, EventToAppend } from '../../events/envelope.ts';
import {
  currentVersion,
  type DomainEvent,
  toLedgerEvent,
  validateEvent,
  zodIssues,
} from '../../events/index.ts';
import { cohorts } from '../../projections/cohorts.ts';
import { londonDate, londonDateTime, occurredAtOf } from '../domain/calendar.ts';
import {
  type CohortCommandName,
  cohortCommandDefinitions,
  PublishSpecificationInput,
} from '../domain/cohort.ts';
import { type Command, type CommandInput, type CommandName, commandDefinitions } from '../domain/commands.ts';
import { decideCohort } from '../domain/decide/cohort.ts';
import type { Decided } from '../domain/decide/context.ts';
import { notAfterToday } from '../domain/decide/dates.ts';
import { type DecidedInTurn, decideInTurn } from '../domain/decide/in-turn.ts';
import { decide } from '../domain/decide/index.ts';
import { emptyRecord, type StudentRecord } from '../domain/student-record.ts';
import {
  asLedgerError,
  describeExpected,
  invalid,
  LedgerError,
  WrongExpectedRevisionError,
} from '../errors.ts';
import { newId } from '../ids.ts';
import { eraseWithKey } from '../privacy/erasure.ts';
import type { KeyStore } from '../privacy/keys.ts';
import { sealApplication } from '../privacy/seal.ts';
import type { EventStore, ExpectedRevision } from '../store/port.ts';
import { type ApplicantRegister, identityOf } from './applicants.ts';
import type { CommandResult } from './command-result.ts';
import type { ReadModels } from './read-models.ts';
import { StreamQueue } from './stream-queue.ts';
import { StudentStates } from './student-states.ts';

// Command handling: validate the input, load the stream's state, decide, validate the events against
// the catalogue, append with the revision the decision was made on. A conflict with another writer is
// retried a few times on fresh state, unless the client named the revision it expected (If-Match), in
// which case the conflict is the client's to resolve. A stream's commands run one at a time in this
// process (StreamQueue), so the writers that can still conflict are other processes.

export interface CommandOptions {
  actor: Actor;
  /** The revision the client based its command on; a mismatch is a conflict, never retried. */
  expectedRevision?: bigint;
  correlationId?: string;
  causationId?: string | null;
}

/** Commands that may be decided in turn (not an application, which creates the record, nor erasure). */
export type InTurnCommand = Exclude<CommandName, 'submitApplication' | 'erasePersonalData'>;

export type { CommandResult };

const MAX_ATTEMPTS = 4;

export class CommandHandler {
  private readonly states: StudentStates;
  private readonly queue = new StreamQueue();

  constructor(
    private readonly deps: {
      store: EventStore;
      keys: KeyStore;
      projections: ReadModels;
      clock: () => Date;
      /**
       * Resolves once the live projections hold the log up to a position. A stream's next command waits
       * for it, as well as for the append, so it decides on read models that include its predecessor.
       */
      settled?: (position: bigint) => Promise<void>;
      /** Refuses an application by someone who already applied for the programme (src/app/applicants.ts). */
      applicants?: Pick<ApplicantRegister, 'assertNew'>;
    },
  ) {
    this.states = new StudentStates(deps.store, deps.projections);
  }

  /** Routes a command by its name: a cohort's, publishing a specification, or a student's. */
  execute(
    target: string | null,
    name: CommandName | CohortCommandName | 'publishSpecification',
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    if (name === 'publishSpecification') return this.publishSpecification(data, options);
    if (Object.hasOwn(cohortCommandDefinitions, name))
      return this.cohort(target ?? '', name as CohortCommandName, data, options);
    return this.student(target ? `student-${target}` : null, name as CommandName, data, options);
  }

  /** Parses command input against its schema; throws `invalid` naming each field. */
  static parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
    const result = schema.safeParse(data);
    if (!result.success) throw invalid('invalid_command', zodIssues(result.error, ''));
    return result.data;
  }

  async student(
    streamId: string | null,
    name: CommandName,
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    const input = CommandHandler.parse(commandDefinitions[name].schema, data);
    let target = streamId;
    let command: Command;
    // an application opens a stream under an id minted here: it has no events to read
    const newStream = name === 'submitApplication';
    if (newStream) {
      const studentId = newId();
      target = `student-${studentId}`;
      const application = input as z.infer<(typeof commandDefinitions)['submitApplication']['schema']>;
      // the decider sees the details sealed: a birth date after today is refused while it is in clear
      notAfterToday('personal.dateOfBirth', application.personal.dateOfBirth, londonDate(this.deps.clock()));
      command = { name, data: sealApplication(this.deps.keys, studentId, application) };
    } else {
      if (!target) throw invalid('missing_student', [{ field: 'studentId', reason: 'is required' }]);
      command = { name, data: input } as Command;
    }
    const stream = target!;
    const run = () =>
      this.withRetry(stream, options, async (attempt) => {
        // A first attempt decides on the live read model's record (StudentStates): if another writer has
        // moved the stream on, the append is refused by its expected revision and the retry folds the
        // stream from the log. A refusal by the rules, or an If-Match, is only ever judged on a state
        // checked against the log.
        const first = attempt === 1 && options.expectedRevision === undefined;
        const trusted = first && !newStream ? this.states.live(stream) : undefined;
        let state = trusted ?? (first && newStream ? emptyRecord(stream) : await this.states.fromLog(stream));
        this.checkIfMatch(stream, state.revision, options);
        let decided: Decided[];
        try {
          decided = decide(state.revision < 0n ? null : state, command, this.decideContext(options));
        } catch (error) {
          if (!trusted || !(error instanceof LedgerError)) throw error;
          // nothing newer in the log: the refusal stands
          if (!(await this.states.newerThan(stream, trusted.revision))) throw error;
          state = await this.states.fromLog(stream);
          decided = decide(state, command, this.decideContext(options));
        }
        return { expected: state.revision < 0n ? 'no_stream' : state.revision, decided };
      });
    if (name === 'submitApplication') {
      // One application per applicant at a time: the second of two sent together finds the first.
      const { programmeId, personal } = input as CommandInput<'submitApplication'>;
      return this.queued(`applicant-${programmeId}-${identityOf(personal).key}`, () => {
        this.deps.applicants?.assertNew(programmeId, personal);
        return run();
      });
    }
    // The key and the event are written in an order that leaves "erased and recorded" or nothing changed.
    if (name === 'erasePersonalData')
      return this.queued(stream, () => eraseWithKey(this.deps.keys, this.deps.store, stream, run));
    return this.queued(stream, run);
  }

  /**
   * Several commands on one existing student, decided in turn and appended as one: all or none (an
   * exam board's decisions for a student). With `preview`, decided on the log's state and not appended.
   */
  async studentInTurn(
    studentId: string,
    commands: readonly { name: InTurnCommand; data: unknown }[],
    options: CommandOptions,
    preview = false,
  ): Promise<{ decided: DecidedInTurn[]; result: CommandResult | null }> {
    const parsed = commands.map(
      ({ name, data }) =>
        ({ name, data: CommandHandler.parse(commandDefinitions[name].schema, data) }) as Command,
    );
    const stream = `student-${studentId}`;
    let decided: DecidedInTurn[] = [];
    const decideOn = (state: StudentRecord) =>
      decideInTurn(state, parsed, this.decideContext(options), newId);
    // decided on a copy: deciding in turn moves a record on through immer, which freezes what it touches
    if (preview) return { decided: decideOn(await this.states.fromLog(stream)), result: null };
    // in the stream's queue like its single commands, so a board's decisions do not race a tutor's mark
    const result = await this.queued(stream, () =>
      this.withRetry(stream, options, async () => {
        const state = await this.states.fromLog(stream);
        this.checkIfMatch(stream, state.revision, options);
        decided = decideOn(state);
        return { expected: state.revision < 0n ? 'no_stream' : state.revision, decided };
      }),
    );
    return { decided, result };
  }

  async cohort(
    cohortId: string,
    name: CohortCommandName,
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    const input = CommandHandler.parse(cohortCommandDefinitions[name].schema, data);
    const id = name === 'createCohort' ? (input as { cohortId: string }).cohortId : cohortId;
    const stream = `cohort-${id}`;
    return this.queued(stream, () => this.cohortCommand(stream, id, name, input, options));
  }

  /** Runs a command after the stream's earlier ones, and lets the next run once the projections have it. */
  private queued(stream: string, command: () => Promise<CommandResult>): Promise<CommandResult> {
    return this.queue.run(stream, async () => {
      const result = await command();
      await this.deps.settled?.(result.position);
      return result;
    });
  }

  private cohortCommand(
    stream: string,
    id: string,
    name: CohortCommandName,
    input: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    return this.withRetry(stream, options, async () => {
      const head = await this.deps.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const revision = head[0]?.revision ?? -1n;
      this.checkIfMatch(stream, revision, options);
      const events = decideCohort(this.deps.projections.get(cohorts, id), { name, data: input } as never, {
        reference: this.deps.projections.reference,
        today: londonDate(this.deps.clock()),
      });
      return {
        expected: revision < 0n ? 'no_stream' : revision,
        decided: events.map((event) => ({ event, occurredOn: londonDate(this.deps.clock()) })),
      };
    });
  }

  async publishSpecification(data: unknown, options: CommandOptions): Promise<CommandResult> {
    const input = CommandHandler.parse(PublishSpecificationInput, data);
    const spec = this.deps.projections.reference.checkSpecification(input.specification, 'specification');
    const stream = `programme-${spec.programmeId}`;
    // Checked in the queue: two publications of one version at once find the first already there.
    return this.queued(stream, () => {
      if (this.deps.projections.reference.findSpecification(spec.programmeId, spec.version))
        throw new LedgerError(
          'conflict',
          'specification_version_exists',
          `specification ${spec.programmeId} version ${spec.version} is already published: publish version ${spec.version + 1}`,
        );
      return this.withRetry(stream, options, async () => {
        const head = await this.deps.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
        const revision = head[0]?.revision ?? -1n;
        return {
          expected: revision < 0n ? 'no_stream' : revision,
          decided: [
            {
              event: {
                type: 'ProgrammeSpecificationPublished',
                data: { specification: spec },
              } as DomainEvent,
              occurredOn: spec.publishedOn,
            },
          ],
        };
      });
    });
  }

  private decideContext(options: CommandOptions) {
    const projections = this.deps.projections;
    return {
      actor: options.actor,
      today: londonDate(this.deps.clock()),
      reference: projections.reference,
      cohort: (id: string) => projections.get(cohorts, id),
    };
  }

  private checkIfMatch(streamId: string, revision: bigint, options: CommandOptions): void {
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision)
      throw new WrongExpectedRevisionError(
        streamId,
        describeExpected(options.expectedRevision),
        revision < 0n ? 'no_stream' : revision,
      );
  }

  private async withRetry(
    streamId: string,
    options: CommandOptions,
    attempt: (attempt: number) => Promise<{ expected: ExpectedRevision; decided: Decided[] }>,
  ): Promise<CommandResult> {
    for (let i = 1; ; i++) {
      const { expected, decided } = await attempt(i);
      const events = this.toAppend(decided, options);
      try {
        const appended = await this.deps.store.append(streamId, events, expected);
        const from = typeof expected === 'bigint' ? expected + 1n : 0n;
        const recorded = (
          appended.recorded ?? (await this.deps.store.readStream(streamId, { fromRevision: from }))
        ).map(toLedgerEvent);
        return {
          streamId,
          events: recorded,
          revision: appended.nextExpectedRevision,
          position: appended.position,
        };
      } catch (error) {
        const retry =
          error instanceof WrongExpectedRevisionError &&
          options.expectedRevision === undefined &&
          i < MAX_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  private toAppend(decided: Decided[], options: CommandOptions): EventToAppend[] {
    const now = this.deps.clock();
    const today = londonDate(now);
    const correlationId = options.correlationId ?? newId();
    return decided.map(({ event, occurredOn, ...ids }) => {
      // The decider's output is checked against the catalogue too: nothing unchecked reaches the log.
      const data = checked(event);
      return {
        // decided in turn, the id was given when it was decided (a later command may have named it)
        eventId: 'eventId' in ids ? (ids.eventId as string) : newId(),
        type: event.type,
        schemaVersion: currentVersion(event.type),
        data,
        metadata: {
          actor: options.actor,
          occurredAt: occurredOn === today ? londonDateTime(now) : occurredAtOf(occurredOn),
          correlationId,
          causationId: options.causationId ?? null,
        },
      };
    });
  }
}

/** The catalogue's refusal of a decided event, as the ledger's own error. */
function checked(event: DomainEvent): unknown {
  try {
    return validateEvent(event.type, event.data);
  } catch (error) {
    throw asLedgerError(error) ?? error;
  }
}
