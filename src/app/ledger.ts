import type { CohortCommandName } from '../domain/cohort.ts';
import type { CommandName } from '../domain/commands.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import type { KeyStore } from '../privacy/keys.ts';
import type { EventStore } from '../store/port.ts';
import { ApplicantRegister } from './applicants.ts';
import {
  CommandHandler,
  type CommandOptions,
  type CommandResult,
  type InTurnCommand,
} from './handle-command.ts';
import { LiveProjections } from './live-projections.ts';
import { ProjectionRunner } from './projection-runner.ts';
import { Queries } from './queries/index.ts';
import type { SnapshotLoad } from './snapshot.ts';
import { SnapshotKeeper } from './snapshot-keeper.ts';

// The ledger as one object: the store, the live projections and the command handler wired together.
// It starts (projections built, then following the log), stops, executes commands, and answers
// queries (ledger.queries) for the API, the command line and the web pages.

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

/** Every command, by name: a student's (the target is the student id), a cohort's, or publishing a specification. */
export type AnyCommandName = CommandName | CohortCommandName | 'publishSpecification';

export interface StartOptions {
  /** Follow the log after catching up (the server); the command line only catches up. Default true. */
  follow?: boolean;
  onProgress?: (applied: number) => void;
}

export class Ledger {
  readonly store: EventStore;
  readonly keys: KeyStore;
  readonly reference: ReferenceData;
  readonly clock: () => Date;
  readonly projections: LiveProjections;
  readonly runner: ProjectionRunner;
  readonly queries: Queries;
  /** Who has applied already: an application that duplicates a standing record is refused. */
  readonly applicants: ApplicantRegister;
  private readonly commands: CommandHandler;
  private readonly snapshots: SnapshotKeeper | null;

  constructor(deps: LedgerDeps) {
    const clock = deps.clock ?? (() => new Date());
    this.clock = clock;
    this.store = deps.store;
    this.keys = deps.keys;
    this.reference = deps.reference;
    this.projections = new LiveProjections(deps.reference);
    this.runner = new ProjectionRunner(this.store, this.projections);
    this.queries = new Queries({ ...deps, clock, projections: this.projections, runner: this.runner });
    this.applicants = new ApplicantRegister(this.queries);
    this.commands = new CommandHandler({
      store: this.store,
      keys: this.keys,
      projections: this.projections,
      clock,
      settled: (position) => this.runner.waitFor(position),
      applicants: this.applicants,
    });
    this.snapshots = deps.snapshotPath
      ? new SnapshotKeeper(deps.snapshotPath, this.projections, this.store, deps.snapshotEveryMs)
      : null;
  }

  /** Builds the projections (from a snapshot if there is a good one, then the log after it), then follows the log. */
  async start(options: StartOptions = {}): Promise<{ applied: number; snapshot: SnapshotLoad | null }> {
    const snapshot = this.snapshots ? await this.snapshots.load() : null;
    const applied = await this.runner.catchUp(options.onProgress);
    if (options.follow === false) return { applied, snapshot };
    if (applied > 0) await this.snapshots?.save();
    this.runner.start();
    this.snapshots?.keepFresh();
    return { applied, snapshot };
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.snapshots?.stop();
    await this.store.close();
    this.keys.close();
  }

  /**
   * Executes a command and waits until the live projections include what it wrote, so a read after it
   * sees it. `target` is the student id (null to submit an application), the cohort id (ignored when a
   * cohort is created: the id is in its data) or null for publishing a specification.
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
