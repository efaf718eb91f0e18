import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { applyEvent, emptyRecord, foldRecord, type StudentRecord } from '../domain/student-record.ts';
import type { EventStore } from '../store/port.ts';

// The students being worked on at once (a few cohorts); each cached record is a copy beside the live
// projections, about 40 KB for a whole programme's history.
const CACHE_LIMIT = 2000;

/**
 * Recent student states for the command handler, so a command never re-folds a whole stream. A cached
 * record is private to this cache and moved forward in place (applyEvent, as the projections fold):
 * moving it by immer copied its growing tables and froze the result on every event, the largest cost of
 * a command. In place is safe because a stream's commands run one at a time (StreamQueue) and a single
 * command decides synchronously on what `load` gave it; anything that keeps a state while others move
 * it on (decisions in turn, which evolve through immer and freeze what they touch) takes a `copy`.
 * Whatever went wrong while a record was being moved forward, it is dropped and folded afresh next time.
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
    // read afresh, the events are this cache's own (no one else holds their data)
    const state = cached
      ? this.moveOn(streamId, cached, newer.map(toLedgerEvent))
      : foldRecord(streamId, newer.map(toLedgerEvent));
    if (state.revision >= 0n) this.remember(streamId, state);
    return state.revision >= 0n ? state : emptyRecord(streamId);
  }

  /** The student's state as a record of its own, folded from the log, that the cache never changes. */
  async copy(streamId: string): Promise<StudentRecord> {
    return foldRecord(streamId, (await this.store.readStream(streamId)).map(toLedgerEvent));
  }

  /**
   * After an append: a cached state moves forward by what was written. The events' data is copied first:
   * the recorded events are shared with the caller and this process's subscriptions, and a record keeps
   * parts of an event's data (a school, the awards) that it may later change in place.
   */
  appended(streamId: string, recorded: LedgerEvent[]): void {
    const cached = this.cache.get(streamId);
    if (!cached) return;
    const own = recorded.map((e) => ({ ...e, data: structuredClone(e.data) }) as LedgerEvent);
    try {
      this.remember(streamId, this.moveOn(streamId, cached, own));
    } catch {
      // the append stands; the record is dropped (moveOn) and the next command folds it from the log
    }
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  /** The cached state moved forward in place by the events newer than it (one it holds is skipped). */
  private moveOn(streamId: string, state: StudentRecord, events: LedgerEvent[]): StudentRecord {
    try {
      for (const e of events) if (e.revision > state.revision) applyEvent(state, e);
    } catch (error) {
      // half moved on: not to be trusted by the next command
      this.cache.delete(streamId);
      throw error;
    }
    return state;
  }

  private remember(streamId: string, state: StudentRecord): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, state);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }
}
