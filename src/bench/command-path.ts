import type { CommandResult } from '../app/handle-command.ts';
import type { Ledger } from '../app/ledger.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { LedgerError } from '../errors.ts';
import { benchCohort, COHORT_COUNT, cohortSteps } from './cohorts.ts';
import { BENCH_SEED } from './generate.ts';
import { studentHistory } from './histories.ts';

// The same synthetic histories through the real command path, one command per append: each command is
// parsed, decided on the student's state, validated against the catalogue, hashed and appended, and the
// ledger waits until its live projections include it (read-your-writes), as an HTTP request would.

export interface CommandPathResult {
  commands: number;
  events: number;
  /** Steps the rules refused as the history foresaw (e.g. conferring while not eligible). */
  refusedAsPlanned: number;
  students: number;
  ms: number;
}

export async function runCommandPath(
  ledger: Ledger,
  options: { fromStudent: number; maxCommands: number; seed?: number },
): Promise<CommandPathResult> {
  const seed = options.seed ?? BENCH_SEED;
  const out: CommandPathResult = { commands: 0, events: 0, refusedAsPlanned: 0, students: 0, ms: 0 };
  // Only the commands are timed, not the making of the synthetic histories that drive them.
  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      out.ms += performance.now() - t;
    }
  };
  for (let index = options.fromStudent; out.commands < options.maxCommands; index++) {
    const cohort = benchCohort(ledger.reference, index % COHORT_COUNT);
    if (!ledger.projections.cohorts.cohorts.has(cohort.cohortId))
      for (const step of cohortSteps(cohort)) {
        const result: CommandResult = await timed(() =>
          ledger.executeCohort(cohort.cohortId, step.name, step.data, { actor: step.actor }),
        );
        out.commands++;
        out.events += result.events.length;
      }
    const history = studentHistory(ledger.reference, cohort, index, seed);
    let studentId: string | null = null;
    out.students++;
    for (const step of history.steps) {
      if (out.commands >= options.maxCommands) break;
      const data: unknown =
        typeof step.data === 'function'
          ? (step.data as (r: StudentRecord) => unknown)(ledger.record(studentId!))
          : step.data;
      if (data === null) continue;
      try {
        const id: string | null = studentId;
        const result: CommandResult = await timed(() =>
          ledger.execute(id, step.name, data, { actor: step.actor }),
        );
        studentId ??= result.streamId.slice('student-'.length);
        out.events += result.events.length;
      } catch (error) {
        if (!(error instanceof LedgerError && error.code === step.unlessRefused)) throw error;
        out.refusedAsPlanned++;
      }
      out.commands++;
    }
  }
  return out;
}
