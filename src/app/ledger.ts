import type { CohortCommandName } from '../domain/cohort.ts';
import type { CommandName } from '../domain/commands.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import type { KeyStore } from '../privacy/keys.ts';
import type { EventStore } from '../store/port.ts';
import { ReadModelDb } from '../store/read-model-db.ts';
import { ApplicantRegister } from './applicants.ts';
import {
  CommandHandler,
  type CommandOptions,
  type CommandResult,
  type InTurnCommand,
} from './handle-command.ts';
import { NameOrder } from './name-order.ts';
import { ProjectionRunner } from './projection-runner.ts';
import { Queries } from './queries/index.ts';
import { type ReadModelOptions, ReadModels } from './read-models.ts';

// The ledger as one object: the store, the read models and the command handler wired together. It
// starts (read models resumed from their checkpoint, or built, then following the log), stops, executes
// commands, and answers queries (ledger.queries) for the API, the command line and the web pages.

export interface LedgerDeps {
  store: EventStore;
  keys: KeyStore;
  reference: ReferenceData;
  clock?: () => Date;
  /** The read-model database (LEDGER_READ_DB); by default one in memory, gone with the process. */
  readModels?: string | ReadModelDb;
  readModelOptions?: ReadModelOptions;
}

/** Every command, by name: a student's (the target is the student id), a cohort's, or publishing a specification. */
export type AnyCommandName = CommandName | CohortCommandName | 'publishSpecification';

export interface StartOptions {
  /** Follow the log after catching up (the server); the command line only catches up. Default true. */
  follow?: boolean;
  onProgress?: (applied: number) => void;
}

export interface Started {
  /** Events applied to the read models at start. */
  applied: number;
  /** Where the read models resumed from: the checkpoint they held, or null when built from the first event. */
  resumedFrom: bigint | null;
  /** Why read models in the file were not used, if they were not. */
  notUsed: string | null;
}

export class Ledger {
  readonly store: EventStore;
  readonly keys: KeyStore;
  readonly reference: ReferenceData;
  readonly clock: () => Date;
  readonly projections: ReadModels;
  readonly runner: ProjectionRunner;
  readonly queries: Queries;
  /** Who has applied already: an application that duplicates a standing record is refused. */
  readonly applicants: ApplicantRegister;
  /** Every student in order of name, kept between the registry's searches (no name kept). */
  readonly studentsByName: NameOrder;
  private readonly commands: CommandHandler;

  constructor(deps: LedgerDeps) {
    const clock = deps.clock ?? (() => new Date());
    this.clock = clock;
    this.store = deps.store;
    this.keys = deps.keys;
    this.reference = deps.reference;
    const db =
      deps.readModels instanceof ReadModelDb
        ? deps.readModels
        : new ReadModelDb(deps.readModels ?? ':memory:', { clock });
    this.projections = new ReadModels(deps.reference, db, undefined, deps.readModelOptions);
    this.runner = new ProjectionRunner(this.store, this.projections);
    this.queries = new Queries({ ...deps, clock, projections: this.projections, runner: this.runner });
    this.applicants = new ApplicantRegister(this.queries, this.projections);
    this.studentsByName = new NameOrder(this.queries, this.projections);
    this.commands = new CommandHandler({
      store: this.store,
      keys: this.keys,
      projections: this.projections,
      clock,
      settled: (position) => this.runner.waitFor(position),
      applicants: this.applicants,
    });
  }

  /**
   * Opens the read models: resumes the live ones from their checkpoint (if they follow this log), or builds
   * them from the first event; then follows the log.
   */
  async start(options: StartOptions = {}): Promise<Started> {
    const models = this.projections;
    models.db.collectGarbage(models.digest);
    let { resumed } = models.open();
    let notUsed: string | null = null;
    if (resumed) {
      notUsed = await this.whyNotThisLog();
      if (notUsed) {
        models.open({ fresh: 'live' });
        resumed = false;
      }
    }
    const resumedFrom = resumed ? models.checkpoint : null;
    const applied = await this.runner.catchUp(options.onProgress);
    if (options.follow !== false) this.runner.start();
    return { applied, resumedFrom, notUsed };
  }

  /** Read models built from another log (a file copied, the log replaced) are not this log's. */
  private async whyNotThisLog(): Promise<string | null> {
    const { checkpoint, checkpointMark } = this.projections;
    const [at] = await this.store.readAll({ after: checkpoint - 1n, maxCount: 1 });
    if (at?.position === checkpoint && at.eventId === checkpointMark) return null;
    return at?.position === checkpoint
      ? `the read models were made from another log (its event at position ${checkpoint} is another)`
      : `the read models are at position ${checkpoint}, which this log does not hold`;
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    this.projections.db.close();
    await this.store.close();
    this.keys.close();
  }

  /**
   * Executes a command and waits until the read models include what it wrote, so a read after it sees
   * it. `target` is the student id (null to submit an application), the cohort id (ignored when a cohort
   * is created: the id is in its data) or null for publishing a specification.
   */
  async execute(
    target: string | null,
    name: AnyCommandName,
    data: unknown,
    options: CommandOptions,
  ): Promise<CommandResult> {
    const result = await this.commands.execute(target, name, data, options);
    await this.runner.waitFor(result.position);
    return result;
  }

  /**
   * Several commands on one student, decided in turn and appended as one (all or none), then waited for
   * as `execute` does; with `preview`, decided and not appended (src/app/exam-board.ts).
   */
  async executeInTurn(
    studentId: string,
    commands: readonly { name: InTurnCommand; data: unknown }[],
    options: CommandOptions,
    preview = false,
  ) {
    const run = await this.commands.studentInTurn(studentId, commands, options, preview);
    if (run.result) await this.runner.waitFor(run.result.position);
    return run;
  }
}
