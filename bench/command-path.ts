import type { CommandResult } from '../src/app/handle-command.ts';
import type { Ledger } from '../src/app/ledger.ts';
import type { StudentRecord } from '../src/domain/student-record.ts';
import { LedgerError } from '../src/errors.ts';
import type { SqliteEventStore } from '../src/store/sqlite.ts';
import { benchCohort, COHORT_COUNT, cohortSteps } from './cohorts.ts';
import { BENCH_SEED } from './generate.ts';
import { type StudentHistory, studentHistory } from './histories.ts';

// The same synthetic histories through the real command path, one command per append: each command is
// parsed, decided on the student's state, validated against the catalogue, hashed and appended, and the
// ledger waits until its live projections include it (read-your-writes), as an HTTP request would.
//
// `clients` students are worked at once, each by its own client issuing that student's commands one
// after another (as several staff at their desks, or an HTTP server's connections): with one client a
// command waits for the previous one's commit; with several, commands that arrive together share a
// commit (the SQLite store's group commit). The histories are made before the clock starts.

export interface CommandPathResult {
  commands: number;
  /** The next student index after those this run used (where a following run can start). */
  nextStudent: number;
  events: number;
  /** Steps the rules refused as the history foresaw (e.g. conferring while not eligible). */
  refusedAsPlanned: number;
  students: number;
  clients: number;
  /** Wall-clock time of the whole run. */
  ms: number;
  /**
   * The process's CPU time (user and system) per student command: what limits the rate once commits are
   * shared, and steadier than the rate on a shared machine, where the time a commit's fsync takes drifts.
   */
  cpuMsPerCommand?: number;
  /** Commits the students' commands made (on a store that counts them), and the mean appends in one. */
  commits?: number;
  commandsPerCommit?: number;
}

export async function runCommandPath(
  ledger: Ledger,
  options: { fromStudent: number; maxCommands: number; clients?: number; seed?: number },
): Promise<CommandPathResult> {
  const seed = options.seed ?? BENCH_SEED;
  const clients = options.clients ?? 1;
  const out: CommandPathResult = {
    commands: 0,
    events: 0,
    refusedAsPlanned: 0,
    students: 0,
    nextStudent: options.fromStudent,
    clients,
    ms: 0,
  };

  // The work, planned before timing: the cohorts that do not exist yet, then whole student histories
  // until the command budget is spent.
  const cohortIds = new Set<string>();
  const cohorts: ReturnType<typeof benchCohort>[] = [];
  const histories: StudentHistory[] = [];
  for (let index = options.fromStudent, planned = 0; planned < options.maxCommands; index++) {
    const cohort = benchCohort(ledger.reference, index % COHORT_COUNT);
    if (!ledger.queries.findCohort(cohort.cohortId) && !cohortIds.has(cohort.cohortId)) {
      cohortIds.add(cohort.cohortId);
      cohorts.push(cohort);
      planned += cohortSteps(cohort).length;
    }
    const history = studentHistory(ledger.reference, cohort, index, seed);
    histories.push(history);
    planned += history.steps.length;
  }

  const t = performance.now();
  for (const cohort of cohorts)
    for (const step of cohortSteps(cohort)) {
      const result = await ledger.execute(cohort.cohortId, step.name, step.data, {
        actor: step.actor,
      });
      out.commands++;
      out.events += result.events.length;
    }

  const counted = commitStats(ledger);
  const before = counted?.();
  const cpu = process.cpuUsage();
  const studentCommands = out.commands;
  let next = 0;
  const client = async () => {
    while (next < histories.length && out.commands < options.maxCommands) {
      const history = histories[next++]!;
      let studentId: string | null = null;
      out.students++;
      for (const step of history.steps) {
        if (out.commands >= options.maxCommands) break;
        const data: unknown =
          typeof step.data === 'function'
            ? (step.data as (r: StudentRecord) => unknown)(ledger.queries.record(studentId!))
            : step.data;
        if (data === null) continue;
        out.commands++;
        try {
          const result: CommandResult = await ledger.execute(studentId, step.name, data, {
            actor: step.actor,
          });
          studentId ??= result.streamId.slice('student-'.length);
          out.events += result.events.length;
        } catch (error) {
          if (!(error instanceof LedgerError && error.code === step.unlessRefused)) throw error;
          out.refusedAsPlanned++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  out.ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  out.cpuMsPerCommand = (used.user + used.system) / 1000 / Math.max(1, out.commands - studentCommands);
  const after = counted?.();
  if (before && after) {
    out.commits = after.groups - before.groups;
    out.commandsPerCommit = (after.appends - before.appends) / Math.max(1, out.commits);
  }
  out.nextStudent = options.fromStudent + out.students;
  return out;
}

/** The store's commit counter, where it keeps one (the SQLite store). */
function commitStats(ledger: Ledger): (() => { groups: number; appends: number }) | null {
  const store = ledger.store as Partial<Pick<SqliteEventStore, 'commitStats'>>;
  return store.commitStats ? () => store.commitStats!() : null;
}
