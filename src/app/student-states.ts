import { freeze } from 'immer';
import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { emptyRecord, evolve, foldRecord, type StudentRecord } from '../domain/student-record.ts';
import type { EventStore } from '../store/port.ts';

// The students being worked on at once (a few cohorts); each cached record is a copy beside the live
// projections, about 40 KB for a whole programme's history.
const CACHE_LIMIT = 2000;

/**
 * Recent student states for the command handler, so a command never re-folds a whole stream. They are
 * immutable: a stream is folded once in place (its objects are new and private) and from then on moved
 * forward only through immer (`evolve`), so a state a decision was made on never changes under it, and a
 * refused or conflicting command leaves the cache as it was. A fresh fold is frozen at once
 * (src/app/immer.ts).
 */
export class StudentStates {
  private readonly cache = new Map<string, StudentRecord>();

  constructor(private readonly store: EventStore) {}

  has(streamId: string): boolean {
    return this.cache.has(streamId);
  }

  /**
   * The student's current state, from the cache plus anything appended since. With `checkLog: false` a
   * cached state is returned as it is (this process's own appends keep it current; another writer's
   * are caught by the expected revision of the append).
   */
  async load(streamId: string, options: { checkLog: boolean } = { checkLog: true }): Promise<StudentRecord> {
    const cached = this.cache.get(streamId);
    if (cached && !options.checkLog) {
      this.remember(streamId, cached);
      return cached;
    }
    const newer = await this.store.readStream(streamId, {
      fromRevision: cached ? cached.revision + 1n : 0n,
    });
    const state = cached
      ? foldForward(cached, newer.map(toLedgerEvent))
      : freeze(foldRecord(streamId, newer.map(toLedgerEvent)), true);
    if (state.revision >= 0n) this.remember(streamId, state);
    return state.revision >= 0n ? state : emptyRecord(streamId);
  }

  /** After an append: a cached state moves forward by what was written. */
  appended(streamId: string, recorded: LedgerEvent[]): void {
    const cached = this.cache.get(streamId);
    if (cached) this.remember(streamId, foldForward(cached, recorded));
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  private remember(streamId: string, state: StudentRecord): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, state);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** The state moved forward by the events newer than it (an event it already holds is skipped). */
function foldForward(state: StudentRecord, events: LedgerEvent[]): StudentRecord {
  for (const e of events) if (e.revision > state.revision) state = evolve(state, e);
  return state;
}
