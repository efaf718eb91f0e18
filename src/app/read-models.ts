import { createHash } from 'node:crypto';
import { type EventType, type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { type AnyProjection, liveProjections } from '../../projections/index.ts';
import type { EventOf, ProjectionContext, ProjectionKey } from '../../projections/projection.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import type { RecordedEvent } from '../store/port.ts';
import type { Generation, ReadModelDb, RowQuery, RowWrite, TableSpec } from '../store/read-model-db.ts';
import { decodeState, encodeState } from '../store/state-codec.ts';

// The kept read models (projections/index.ts) over the read-model database (src/store/read-model-db.ts):
// each event goes to the projections that handle its type, in the registry's order, and changes the state
// of one key in each. States are read from the database on demand and kept in a bounded cache of those
// being worked on; changed ones are written back with the checkpoint, in one transaction, now and then
// (`flush`): when enough have changed, when the log has been followed for a moment, before a list is read
// from the database, and at the end. What is in memory beyond the last flush is lost in a crash and
// applied again from the checkpoint at the next start: never twice, never skipped.

/** How the layout of states and tables is written: a change here rebuilds every read model. */
// 2: each state after its columns in the row; 3: states in JSON (src/store/state-codec.ts), not v8.serialize
const FORMAT = 'nasenco-read-models/3 json';

export function registryDigest(registry: readonly AnyProjection[]): string {
  const shape = registry.map((p) => [
    p.name,
    p.version,
    Object.entries(p.columns ?? {}).map(([name, c]) => [name, c.type, c.indexed !== false]),
  ]);
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, shape]))
    .digest('hex')
    .slice(0, 16);
}

export function tablesOf(registry: readonly AnyProjection[]): TableSpec[] {
  return registry.map((p) => ({
    name: p.name,
    columns: Object.entries(p.columns ?? {}).map(([name, c]) => ({
      name,
      type: c.type,
      indexed: c.indexed !== false,
    })),
  }));
}

interface Entry {
  state: unknown;
  dirty: boolean;
  /** Whether the database holds a row for it (so an empty state must be deleted). */
  stored: boolean;
}

export interface ReadModelOptions {
  /** States kept in memory per projection beyond those changed since the last flush. */
  cacheEntries?: number;
  /** Changed states that make a flush. */
  flushAfter?: number;
}

export type FlushOutcome = 'nothing' | 'committed' | 'jumped' | 'retired';

export class ReadModels {
  readonly digest: string;
  readonly context: ProjectionContext;
  private readonly byType = new Map<EventType, AnyProjection[]>();
  private readonly caches = new Map<AnyProjection, Map<string, Entry>>();
  /** Each projection's key used last and its entry (the last in its cache's order). */
  private readonly recent = new Map<AnyProjection, { key: string; entry: Entry }>();
  private readonly cacheEntries: number;
  /** Keys read once lately, not yet kept (see `entry`). */
  private readonly asked = new Set<string>();
  private readonly flushAfter: number;
  private opened: Generation | null = null;
  /** Position of the last event applied (in memory). */
  checkpoint = 0n;
  eventsApplied = 0;
  /** The checkpoint and count the database holds for this generation, as this process last left it. */
  private committed = { checkpoint: 0n, events: 0 };
  private mark: string | null = null;
  private dirty = 0;
  /** Set when a flush found this generation replaced by a rebuild: the runner moves to the new one. */
  superseded = false;
  /** Keys known to have no row: a generation this process started empty, and keys it never wrote. */
  private written: Set<string> | null = null;
  /** Time spent writing changed states back (\`flush\`): encoding them with their columns, and committing. */
  readonly spent = { encodingMs: 0, writingMs: 0 };
  /** Who is told of each key an event changes (null: any state may have changed: another generation). */
  private readonly watchers = new Map<AnyProjection, ((key: string | null) => void)[]>();

  constructor(
    readonly reference: ReferenceData,
    readonly db: ReadModelDb,
    readonly registry: readonly AnyProjection[] = liveProjections,
    options: ReadModelOptions = {},
  ) {
    this.cacheEntries = options.cacheEntries ?? 2000;
    this.flushAfter = options.flushAfter ?? 1000;
    this.digest = registryDigest(registry);
    registry.forEach((p, i) => {
      if (registry.findIndex((q) => q.name === p.name) !== i)
        throw new Error(`two projections named ${p.name}`);
      for (const type of p.handles) this.byType.set(type, [...(this.byType.get(type) ?? []), p]);
      this.caches.set(p, new Map());
    });
    this.context = {
      reference,
      read: <S>(projection: ProjectionKey<S>, key: string) => this.get(projection, key),
    };
  }

  /** The generation in use: the live one of these projections, or a new empty one. */
  open(options: { fresh?: 'live' | 'building' } = {}): { generation: Generation; resumed: boolean } {
    const found = options.fresh ? undefined : this.db.liveFor(this.digest);
    const generation = found ?? this.db.create(this.digest, tablesOf(this.registry), options.fresh ?? 'live');
    this.use(generation, !found);
    return { generation, resumed: found !== undefined && found.checkpoint > 0n };
  }

  /** The generation the states are read from and written to (the live one, opened on first use). */
  get current(): Generation {
    return this.generation;
  }

  private get generation(): Generation {
    if (!this.opened) this.open();
    return this.opened!;
  }

  /** The id of the event at the checkpoint, as the database recorded it: which log these states follow. */
  get checkpointMark(): string | null {
    return this.mark;
  }

  private use(generation: Generation, empty: boolean): void {
    this.opened = generation;
    this.checkpoint = generation.checkpoint;
    this.eventsApplied = generation.events;
    this.committed = { checkpoint: generation.checkpoint, events: generation.events };
    this.mark = generation.mark;
    this.written = empty ? new Set() : null;
    this.dirty = 0;
    this.superseded = false;
    for (const cache of this.caches.values()) cache.clear();
    this.recent.clear();
    for (const listeners of this.watchers.values()) for (const listener of listeners) listener(null);
    for (const p of this.registry) {
      if (!p.opened) continue;
      for (const { key, state } of this.db.select(generation, p.name))
        p.opened(this.decode(p, state, key), this.context);
    }
  }

  /** Moves to another generation of the same projections (a rebuild took over): its states, its checkpoint. */
  adopt(generation: Generation): void {
    this.use(generation, false);
  }

  /**
   * Calls `listener` with the key of each state of the projection an event changes, and with null when
   * every state may have changed (another generation adopted, or another process's states taken).
   */
  watch(projection: ProjectionKey<unknown>, listener: (key: string | null) => void): void {
    const p = projection as AnyProjection;
    if (!this.caches.has(p)) throw new Error(`projection ${p.name} is not registered`);
    this.watchers.set(p, [...(this.watchers.get(p) ?? []), listener]);
  }

  /** A key's state, if the projection holds one. */
  get<S>(projection: ProjectionKey<S>, key: string): S | undefined {
    const p = projection as AnyProjection;
    const entry = this.entry(p, key, false);
    if (!entry || p.isEmpty?.(entry.state)) return undefined;
    return entry.state as S;
  }

  /** Whether the projection holds a state for the key, found without decoding it. */
  has(projection: ProjectionKey<unknown>, key: string): boolean {
    const p = projection as AnyProjection;
    const entry = this.caches.get(p)?.get(key);
    // an empty state is never written: a row is a state (see flush)
    if (entry) return !(p.isEmpty?.(entry.state) ?? false);
    if (this.written !== null && !this.written.has(`${p.name}\t${key}`)) return false;
    return this.db.exists(this.generation.id, p.name, key);
  }

  private entry(p: AnyProjection, key: string, create: boolean): Entry | undefined {
    const cache = this.caches.get(p);
    if (!cache) throw new Error(`projection ${p.name} is not registered`);
    // a student's events come one after another: the key used last is already the most recent
    const recent = this.recent.get(p);
    if (recent !== undefined && recent.key === key) return recent.entry;
    let entry = cache.get(key);
    if (entry) {
      // most recently used last: a Map keeps insertion order
      cache.delete(key);
      cache.set(key, entry);
      this.recent.set(p, { key, entry });
      return entry;
    }
    const absent = this.written !== null && !this.written.has(`${p.name}\t${key}`);
    const row = absent ? undefined : this.db.read(this.generation.id, p.name, key);
    // A state only read (a query) is kept the second time it is asked for lately, not the first: a cache
    // filled by every read holds the states decoded lately, which each young-generation garbage collection
    // then copies (at 1M events that made a decision's p99 ten times its median). What events change is kept.
    if (row && !create && !this.askedBefore(p, key))
      return { state: this.decode(p, row, key), dirty: false, stored: true };
    if (row) entry = { state: this.decode(p, row, key), dirty: false, stored: true };
    else if (create) entry = { state: p.initial(key), dirty: false, stored: false };
    else return undefined;
    // room is made before it goes in: the entry handed back is never the one evicted
    this.evict(cache, 1);
    cache.set(key, entry);
    this.recent.set(p, { key, entry });
    return entry;
  }

  /** Whether the key was read lately (and notes that it now was): a bounded set of keys, not states. */
  private askedBefore(p: AnyProjection, key: string): boolean {
    const id = `${p.name}\t${key}`;
    if (this.asked.delete(id)) return true;
    if (this.asked.size >= this.cacheEntries * 4) this.asked.clear();
    this.asked.add(id);
    return false;
  }

  private decode(p: AnyProjection, row: Buffer, _key: string): unknown {
    const state = decodeState(row);
    return p.revive ? p.revive(state) : state;
  }

  /**
   * Drops the least recently used clean states once the cache is past its size, down to an eighth below
   * it: the scan walks past the changed states at the front, so it runs once per many new keys rather than
   * at each (at a million events, scanning at every new student was 5% of a rebuild).
   */
  private evict(cache: Map<string, Entry>, room = 0): void {
    if (cache.size + room <= this.cacheEntries) return;
    const limit = this.cacheEntries - Math.max(room, Math.ceil(this.cacheEntries / 8));
    this.recent.clear();
    for (const [key, entry] of cache) {
      if (cache.size <= limit) return;
      if (!entry.dirty) cache.delete(key);
    }
  }

  apply(recorded: RecordedEvent): void {
    this.applyLedgerEvent(toLedgerEvent(recorded));
  }

  applyLedgerEvent(e: LedgerEvent): void {
    const handlers = this.byType.get(e.type);
    if (handlers)
      for (const p of handlers) {
        const key = p.key(e as EventOf<EventType>);
        if (key === null) continue;
        const entry = this.entry(p, key, true)!;
        p.apply(entry.state, e as EventOf<EventType>, this.context);
        const listeners = this.watchers.get(p);
        if (listeners) for (const listener of listeners) listener(key);
        if (!entry.dirty) {
          entry.dirty = true;
          this.dirty++;
        }
      }
    this.checkpoint = e.position;
    this.mark = e.eventId;
    this.eventsApplied++;
    if (this.dirty >= this.flushAfter && !this.superseded) this.flush();
  }

  /** How many states are held in memory now, over all projections. */
  cached(): number {
    let n = 0;
    for (const cache of this.caches.values()) n += cache.size;
    return n;
  }

  /** Whether anything applied is not in the database yet. */
  get pending(): boolean {
    return this.checkpoint !== this.committed.checkpoint;
  }

  /**
   * Writes the changed states and the checkpoint in one transaction. If another process moved the
   * generation on meanwhile, its states are as good as these (the same log, the same projections): behind
   * this process, they are overwritten; ahead of it, these are dropped and this process jumps to its
   * checkpoint ('jumped': the caller must not apply what it had read up to there again). 'retired': a
   * rebuild has replaced this generation; the caller moves to the new one.
   */
  flush(): FlushOutcome {
    if (!this.pending && this.dirty === 0) return 'nothing';
    const started = performance.now();
    const rows: RowWrite[] = [];
    for (const p of this.registry) {
      const columns = Object.entries(p.columns ?? {});
      for (const [key, entry] of this.caches.get(p)!) {
        if (!entry.dirty) continue;
        const empty = p.isEmpty?.(entry.state) ?? false;
        if (empty && !entry.stored) continue;
        rows.push({
          table: p.name,
          key,
          state: empty ? null : encodeState(entry.state),
          values: empty ? [] : columns.map(([, c]) => c.value(entry.state, key, this.context)),
        });
      }
    }
    const next = { checkpoint: this.checkpoint, events: this.eventsApplied, mark: this.mark };
    const encoded = performance.now();
    let result = this.db.commit(this.generation, this.committed.checkpoint, next, rows);
    if (result.outcome === 'moved' && result.checkpoint <= this.checkpoint)
      result = this.db.commit(this.generation, result.checkpoint, next, rows);
    this.spent.encodingMs += encoded - started;
    this.spent.writingMs += performance.now() - encoded;
    if (result.outcome === 'retired') {
      this.superseded = true;
      return 'retired';
    }
    if (result.outcome === 'moved') {
      // another process is further along the same log: take its states and its checkpoint
      const found = this.db.generation(this.generation.id)!;
      this.use(found, false);
      return 'jumped';
    }
    this.committed = { checkpoint: next.checkpoint, events: next.events };
    for (const p of this.registry)
      for (const [key, entry] of this.caches.get(p)!) {
        if (!entry.dirty) continue;
        entry.dirty = false;
        entry.stored = !(p.isEmpty?.(entry.state) ?? false);
        this.written?.add(`${p.name}\t${key}`);
      }
    this.dirty = 0;
    for (const cache of this.caches.values()) this.evict(cache);
    return 'committed';
  }

  /** Rows of a projection by its columns, each with its state (flushed first, so the database is current). */
  select<S>(projection: ProjectionKey<S>, query: RowQuery = {}): { key: string; state: S }[] {
    const p = projection as AnyProjection;
    this.flush();
    return this.db.select(this.generation, p.name, query).map(({ key, state }) => {
      const cached = this.caches.get(p)!.get(key);
      return { key, state: (cached ? cached.state : this.decode(p, state, key)) as S };
    });
  }

  keys(projection: ProjectionKey<unknown>, query: RowQuery = {}): string[] {
    this.flush();
    return this.db.keys(this.generation, projection.name, query);
  }

  values(projection: ProjectionKey<unknown>, column: string, query: RowQuery = {}) {
    this.flush();
    return this.db.values(this.generation, projection.name, column, query);
  }

  /** Several columns of each row, by name, with its key: no state read. */
  columns<C extends string>(projection: ProjectionKey<unknown>, columns: readonly C[], query: RowQuery = {}) {
    this.flush();
    return this.db.columns(this.generation, projection.name, columns, query);
  }

  /**
   * Every kept state with its columns, by projection and key: what a rebuild must reproduce (the crash
   * test and the laws compare it). Reads everything: for checks, not for serving.
   */
  contents(): Record<string, Record<string, { state: unknown; columns: Record<string, unknown> }>> {
    this.flush();
    const out: Record<string, Record<string, { state: unknown; columns: Record<string, unknown> }>> = {};
    for (const p of this.registry) {
      const rows: Record<string, { state: unknown; columns: Record<string, unknown> }> = {};
      for (const { key, state } of this.db.select(this.generation, p.name)) {
        const columns: Record<string, unknown> = {};
        for (const name of Object.keys(p.columns ?? {}))
          columns[name] = this.db.values(this.generation, p.name, name, {
            where: [{ column: 'key', op: '=', value: key }],
          })[0]?.value;
        rows[key] = { state: this.decode(p, state, key), columns };
      }
      out[p.name] = rows;
    }
    return out;
  }

  count(projection: ProjectionKey<unknown>, query: Pick<RowQuery, 'where'> = {}): number {
    this.flush();
    return this.db.count(this.generation, projection.name, query);
  }
}
