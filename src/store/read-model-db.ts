import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { buildQuery, columnOf, NAME, type RowQuery, tableName } from './read-model-sql.ts';
import { describeFile, fileError, openSqliteFile } from './sqlite-file.ts';

export type { RowFilter, RowQuery } from './read-model-sql.ts';

// The read-model database: an embedded SQLite file beside the log (LEDGER_READ_DB), one per ledger
// instance. It holds generations of read models, each the states of one set of projections (named by a
// digest of their names and versions) as rows keyed by id, with indexed columns beside each state, and the
// position of the last event applied to them: the checkpoint. Rows and checkpoint move in one
// transaction, so after any crash the rows are exactly those of the checkpoint's prefix of the log.
//
// A generation is `live` (the one its projections read and follow), `building` (a rebuild from zero that
// runs beside the live one and replaces it when caught up) or `retired` (replaced; dropped once nobody
// can still be reading it). Writers are optimistic: a commit names the checkpoint it started from and
// is refused if another process (a command line run beside the server) moved the generation on.

export type GenerationState = 'building' | 'live' | 'retired';

export interface ColumnSpec {
  name: string;
  type: 'text' | 'integer';
  indexed: boolean;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
}

export interface Generation {
  id: number;
  digest: string;
  state: GenerationState;
  checkpoint: bigint;
  events: number;
  /** The id of the event at the checkpoint: which log the generation follows. */
  mark: string | null;
  tables: TableSpec[];
  createdAt: string;
  seenAt: string;
}

export interface RowWrite {
  table: string;
  key: string;
  /** null: the row goes (an empty state). */
  state: Uint8Array | null;
  /** The table's column values, in its columns' order. */
  values: (string | number | null)[];
}

export type CommitOutcome =
  | { outcome: 'committed' }
  | { outcome: 'moved'; checkpoint: bigint; events: number }
  | { outcome: 'retired' };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS read_model_generations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  digest TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('building', 'live', 'retired')),
  checkpoint INTEGER NOT NULL,
  events INTEGER NOT NULL,
  mark TEXT,
  tables TEXT NOT NULL,
  created_at TEXT NOT NULL,
  seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS read_model_notes (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Tables that mark a file as one of the ledger's other databases. */
const NOT_READ_MODELS = {
  events: 'the event log (LEDGER_DB)',
  subject_keys: 'the student keys (LEDGER_KEYS_DB)',
  signing_keys: 'the checkpoint signing key (LEDGER_KEYS_DB)',
  tokens: 'the bearer tokens (LEDGER_AUTH_DB)',
};

/** SQLite's default: a checkpoint inside the commit that takes the log past 4 MB. */
const AUTOCHECKPOINT_PAGES = 1000;
const ASIDE_AUTOCHECKPOINT_PAGES = 65_536;

type Raw = {
  id: number;
  digest: string;
  state: GenerationState;
  checkpoint: number;
  events: number;
  mark: string | null;
  tables: string;
  created_at: string;
  seen_at: string;
};

export class ReadModelDb {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly path: string,
    options: { variable?: string; clock?: () => Date } = {},
  ) {
    const variable = options.variable ?? 'LEDGER_READ_DB';
    this.clock = options.clock ?? (() => new Date());
    this.db = openSqliteFile(path, { variable, foreignTables: NOT_READ_MODELS });
    try {
      // Rebuilt from the log at will, so NORMAL: a crash loses at most the newest commits, never consistency.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('cache_size = -32768');
      this.db.exec(SCHEMA);
    } catch (error) {
      this.db.close();
      throw fileError(describeFile(variable, path), error);
    }
  }

  private readonly clock: () => Date;

  private now(): string {
    return this.clock().toISOString();
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  generations(): Generation[] {
    return (this.statement('SELECT * FROM read_model_generations ORDER BY id').all() as Raw[]).map(fromRaw);
  }

  generation(id: number): Generation | undefined {
    const raw = this.statement('SELECT * FROM read_model_generations WHERE id = ?').get(id) as
      | Raw
      | undefined;
    return raw && fromRaw(raw);
  }

  /** The live generation of these projections, if there is one. */
  liveFor(digest: string): Generation | undefined {
    const raw = this.statement(
      "SELECT * FROM read_model_generations WHERE digest = ? AND state = 'live' ORDER BY id DESC LIMIT 1",
    ).get(digest) as Raw | undefined;
    return raw && fromRaw(raw);
  }

  /** A new, empty generation with a table for each projection. */
  create(digest: string, tables: TableSpec[], state: 'building' | 'live'): Generation {
    for (const t of tables) {
      if (!NAME.test(t.name)) throw new Error(`a read model's name must be lower case: ${t.name}`);
      for (const c of t.columns)
        if (!NAME.test(c.name)) throw new Error(`a column's name must be lower case: ${c.name}`);
    }
    const now = this.now();
    return this.db.transaction(() => {
      if (state === 'live')
        this.statement(
          "UPDATE read_model_generations SET state = 'retired', seen_at = ? WHERE digest = ? AND state = 'live'",
        ).run(now, digest);
      const { lastInsertRowid } = this.statement(
        'INSERT INTO read_model_generations (digest, state, checkpoint, events, mark, tables, created_at, seen_at) VALUES (?, ?, 0, 0, NULL, ?, ?, ?)',
      ).run(digest, state, JSON.stringify(tables), now, now);
      const id = Number(lastInsertRowid);
      for (const t of tables) {
        const name = tableName(id, t.name);
        const columns = t.columns.map((c) => `c_${c.name} ${c.type === 'text' ? 'TEXT' : 'INTEGER'}, `);
        // the state last: a state is tens of kilobytes, and SQLite reads a row's columns in order, so a
        // column placed after it would be read through the state's overflow pages
        this.db.exec(`CREATE TABLE ${name} (key TEXT PRIMARY KEY, ${columns.join('')}state BLOB NOT NULL)`);
        for (const c of t.columns)
          if (c.indexed) this.db.exec(`CREATE INDEX ${name}_${c.name} ON ${name} (c_${c.name}, key)`);
      }
      return this.generation(id)!;
    })();
  }

  read(generation: number, table: string, key: string): Buffer | undefined {
    return this.statement(`SELECT state FROM ${tableName(generation, table)} WHERE key = ?`)
      .pluck()
      .get(key) as Buffer | undefined;
  }

  /** Whether the table has a row for the key (its primary key's index alone: the state is not read). */
  exists(generation: number, table: string, key: string): boolean {
    return (
      this.statement(`SELECT 1 FROM ${tableName(generation, table)} WHERE key = ?`)
        .pluck()
        .get(key) !== undefined
    );
  }

  /**
   * Writes rows and moves the checkpoint in one transaction, if the generation is still where this writer
   * left it (`expected`) and still in use.
   */
  commit(
    generation: Generation,
    expected: bigint,
    next: { checkpoint: bigint; events: number; mark: string | null },
    rows: RowWrite[],
  ): CommitOutcome {
    return this.db
      .transaction((): CommitOutcome => {
        const now = this.generation(generation.id);
        if (!now || now.state === 'retired') return { outcome: 'retired' };
        if (now.checkpoint !== expected)
          return { outcome: 'moved', checkpoint: now.checkpoint, events: now.events };
        for (const row of rows) {
          const table = tableName(generation.id, row.table);
          if (row.state === null) {
            this.statement(`DELETE FROM ${table} WHERE key = ?`).run(row.key);
            continue;
          }
          const spec = generation.tables.find((t) => t.name === row.table)!;
          const names = spec.columns.map((c) => `, c_${c.name}`).join('');
          const marks = spec.columns.map(() => ', ?').join('');
          this.statement(`INSERT OR REPLACE INTO ${table} (key, state${names}) VALUES (?, ?${marks})`).run(
            row.key,
            row.state,
            ...row.values,
          );
        }
        this.statement(
          'UPDATE read_model_generations SET checkpoint = ?, events = ?, mark = ?, seen_at = ? WHERE id = ?',
        ).run(next.checkpoint, next.events, next.mark, this.now(), generation.id);
        return { outcome: 'committed' };
      })
      .immediate();
  }

  /** Rows by their columns, in a stable order (the key last). */
  select(generation: Generation, table: string, query: RowQuery = {}): { key: string; state: Buffer }[] {
    const { sql, params } = buildQuery(generation, table, 'key, state', query);
    return this.statement(sql).all(...params) as { key: string; state: Buffer }[];
  }

  keys(generation: Generation, table: string, query: RowQuery = {}): string[] {
    const { sql, params } = buildQuery(generation, table, 'key', query);
    return this.statement(sql)
      .pluck()
      .all(...params) as string[];
  }

  /** One column's values with the keys (what a list reads without the states). */
  values(generation: Generation, table: string, column: string, query: RowQuery = {}) {
    columnOf(generation, table, column);
    const { sql, params } = buildQuery(generation, table, `key, c_${column} AS value`, query);
    return this.statement(sql).all(...params) as { key: string; value: string | number | null }[];
  }

  /** Several columns' values with the keys, by column name, no state read (what a list sorts and matches on). */
  columns<C extends string>(
    generation: Generation,
    table: string,
    columns: readonly C[],
    query: RowQuery = {},
  ) {
    // each name is one of the table's own (columnOf refuses any other), so it can name its value too
    const what = columns.map((c) => `, ${columnOf(generation, table, c)} AS "${c}"`).join('');
    const { sql, params } = buildQuery(generation, table, `key${what}`, query);
    return this.statement(sql).all(...params) as ({ key: string } & Record<C, string | number | null>)[];
  }

  count(generation: Generation, table: string, query: Pick<RowQuery, 'where'> = {}): number {
    const { sql, params } = buildQuery(generation, table, 'count(*)', { where: query.where ?? [] }, false);
    return this.statement(sql)
      .pluck()
      .get(...params) as number;
  }

  /** Makes a generation the live one of its projections, retiring the one it replaces. */
  goLive(generation: Generation): void {
    const now = this.now();
    this.db
      .transaction(() => {
        this.statement(
          "UPDATE read_model_generations SET state = 'retired', seen_at = ? WHERE digest = ? AND state = 'live' AND id <> ?",
        ).run(now, generation.digest, generation.id);
        this.statement("UPDATE read_model_generations SET state = 'live', seen_at = ? WHERE id = ?").run(
          now,
          generation.id,
        );
      })
      .immediate();
  }

  /** Says the generation is in use (a rebuild or server that stops saying so is taken to be gone). */
  touch(generation: Generation): void {
    this.statement('UPDATE read_model_generations SET seen_at = ? WHERE id = ?').run(
      this.now(),
      generation.id,
    );
  }

  /**
   * Drops generations nobody uses: retired ones once whoever read them has had time to move on, a rebuild
   * abandoned half-way, and other projections' generations not used for a day (an earlier version's).
   */
  collectGarbage(digest: string, keep: number[] = []): number[] {
    const now = this.clock().getTime();
    const idle = (g: Generation) => now - Date.parse(g.seenAt);
    const dropped: number[] = [];
    for (const g of this.generations()) {
      if (keep.includes(g.id)) continue;
      const gone =
        (g.state === 'retired' && idle(g) > 60_000) ||
        (g.state === 'building' && idle(g) > 10 * 60_000) ||
        (g.state === 'live' && g.digest !== digest && idle(g) > 24 * 3_600_000);
      if (gone) {
        this.drop(g);
        dropped.push(g.id);
      }
    }
    return dropped;
  }

  drop(generation: Generation): void {
    this.db.transaction(() => {
      for (const t of generation.tables)
        this.db.exec(`DROP TABLE IF EXISTS ${tableName(generation.id, t.name)}`);
      this.statement('DELETE FROM read_model_generations WHERE id = ?').run(generation.id);
    })();
    this.statements.clear();
  }

  note(name: string): string | undefined {
    return this.statement('SELECT value FROM read_model_notes WHERE name = ?').pluck().get(name) as
      | string
      | undefined;
  }

  keepNote(name: string, value: string): void {
    this.statement('INSERT OR REPLACE INTO read_model_notes (name, value) VALUES (?, ?)').run(name, value);
  }

  /**
   * Until the returned function is called, the write-ahead log is copied into the file by a worker thread
   * (src/store/read-model-checkpointer.mjs) instead of inside this connection's commits: what a rebuild
   * asks, as it writes every state once. SQLite's own checkpoint stays as a safety net, at a 256 MB log
   * rather than 4 MB, should the worker fall behind.
   */
  checkpointAside(everyMs = 20): () => Promise<void> {
    if (this.path === ':memory:') return async () => {};
    const stop = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('./read-model-checkpointer.mjs', import.meta.url), {
      execArgv: [],
      workerData: { path: this.path, everyMs, stop },
    });
    worker.on('error', (error) => console.warn(`the read-model checkpointer stopped: ${error.message}`));
    this.db.pragma(`wal_autocheckpoint = ${ASIDE_AUTOCHECKPOINT_PAGES}`);
    let stopping: Promise<void> | null = null;
    const end = () => {
      stopping ??= (async () => {
        Atomics.store(new Int32Array(stop), 0, 1);
        Atomics.notify(new Int32Array(stop), 0);
        await new Promise<void>((resolve) => {
          if (worker.threadId === -1) resolve();
          else worker.once('exit', () => resolve());
        });
        this.stopAside = null;
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      })();
      return stopping;
    };
    this.stopAside = end;
    return end;
  }

  private stopAside: (() => Promise<void>) | null = null;

  close(): void {
    void this.stopAside?.();
    if (this.db.open) this.db.close();
  }
}

function fromRaw(r: Raw): Generation {
  return {
    id: r.id,
    digest: r.digest,
    state: r.state,
    checkpoint: BigInt(r.checkpoint),
    events: r.events,
    mark: r.mark,
    tables: JSON.parse(r.tables) as TableSpec[],
    createdAt: r.created_at,
    seenAt: r.seen_at,
  };
}
