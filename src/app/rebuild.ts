import { cohorts, students } from '../../projections/index.ts';
import type { Generation } from '../store/read-model-db.ts';
import type { Ledger } from './ledger.ts';
import { ProjectionRunner } from './projection-runner.ts';
import { ReadModels } from './read-models.ts';

// A rebuild of the read models from the first event (`ledger rebuild`; and what a new version of a
// projection needs): built as a new generation in the same read-model database, beside the one in use,
// which keeps answering (a server running on it included). Once the new one has caught up with the log it
// becomes the live one in one transaction, and a running server moves to it within seconds
// (src/app/projection-runner.ts), following the log from its checkpoint.

export interface Rebuilt {
  applied: number;
  generation: Generation;
  /** The generation it replaced, if there was one. */
  replaced: Generation | null;
  students: number;
  cohorts: number;
  /**
   * Where the time went, in ms: reading the log (fetching and parsing each event), folding the events into
   * the states, encoding the changed states with their columns, writing them to the database, and the rest
   * (making the new generation's tables, waiting for its log of writes to be copied in, switching over).
   */
  spent: { readingMs: number; foldingMs: number; encodingMs: number; writingMs: number; otherMs: number };
}

export async function rebuildReadModels(
  ledger: Ledger,
  onProgress?: (applied: number) => void,
): Promise<Rebuilt> {
  const started = performance.now();
  const db = ledger.projections.db;
  const models = new ReadModels(ledger.reference, db);
  models.open({ fresh: 'building' });
  const runner = new ProjectionRunner(ledger.store, models);
  let applied = 0;
  let catchingUpMs = 0;
  // every state is written once: the log of writes is copied into the file on another thread
  const checkpointing = db.checkpointAside();
  try {
    // Catch up until a pass finds nothing new: the log may grow while the rebuild runs.
    const caughtUp = performance.now();
    for (;;) {
      const more = await runner.catchUp((n) => onProgress?.(applied + n));
      applied += more;
      if (more === 0) break;
    }
    catchingUpMs = performance.now() - caughtUp;
  } finally {
    await checkpointing();
  }
  const replaced = db.liveFor(models.digest) ?? null;
  db.goLive(models.current);
  const { encodingMs, writingMs } = models.spent;
  const { foldingMs } = runner.spent;
  const readingMs = catchingUpMs - foldingMs - encodingMs - writingMs;
  const otherMs = performance.now() - started - catchingUpMs;
  return {
    applied,
    generation: db.generation(models.current.id)!,
    replaced,
    students: models.count(students),
    cohorts: models.count(cohorts),
    spent: { readingMs, foldingMs, encodingMs, writingMs, otherMs },
  };
}
