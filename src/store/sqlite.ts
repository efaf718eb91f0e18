import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import { catchUpSubscription } from './catch-up.ts';
import { type StoredEvent, verifyLog } from './hash-chain.ts';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  VerifyReport,
} from './port.ts';
import { PAGE_SIZE } from './port.ts';
import { GroupCommit } from './sqlite-append.ts';
import { describeFile, fileError, openSqliteFile } from './sqlite-file.ts';
import { readAhead } from './sqlite-read-ahead.ts';
import { COLUMNS, NOT_THE_LOG, type Row, SCHEMA, toRecorded, toStored } from './sqlite-schema.ts';
import { WriteHealth, type WriteHealthReport } from './storage-errors.ts';

// The embedded default store: one SQLite file through better-sqlite3. Appends are group-committed
// (src/store/sqlite-append.ts); the table and its rows are in src/store/sqlite-schema.ts.
//
// Durability: WAL with synchronous=FULL by default. An append is acknowledged only after its
// transaction's WAL frames are fsynced, so an acknowledged append survives a process crash and, on a
// disk that honours fsync, a power loss. `synchronous: 'normal'` is faster but may lose the newest
// acknowledged appends on power loss (never on a process crash); it is there for imports and benches.

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  synchronous?: 'full' | 'normal';
  clock?: () => Date;
  /** How often a subscription looks for appends made by other processes on the same file. */
  pollMs?: number;
  readonly?: boolean;
  /** The variable that names the file, for messages (default LEDGER_DB). */
  variable?: string;
}

export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';
  /**
   * Pages of 1024 events: a read still costs little per event, and a page is applied and dropped before
   * the young generation fills, where a 4096-event page outlived it and was copied into the old one (a
   * rebuild of a million events ran ~20% faster).
   */
  readonly pageSize = 1024;
  readonly db: Database.Database;
  private readonly path: string;
  private readonly pollMs: number;
  private readonly appended = new EventEmitter();
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  private readonly writer: GroupCommit;
  private readonly health: WriteHealth;
  /** How messages name this store's file. */
  private readonly what: string;

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    const variable = options.variable ?? 'LEDGER_DB';
    this.db = openSqliteFile(options.path, {
      variable,
      readonly: options.readonly,
      foreignTables: NOT_THE_LOG,
    });
    this.what = `the event log (${describeFile(variable, options.path)})`;
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 10000');
    // A small real commit: whether the disk takes writes (a readiness check runs it while writes fail).
    const probe = (bytes: number) =>
      this.db
        .prepare('INSERT OR REPLACE INTO write_probe (id, at, pad) VALUES (1, ?, zeroblob(?))')
        .run(new Date().toISOString(), bytes);
    this.health = new WriteHealth(() => probe(256 * 1024));
    if (!options.readonly) {
      try {
        this.db.exec(SCHEMA);
        // A file the ledger cannot write (read-only file or file system) is refused now, not at the first append.
        probe(0);
      } catch (error) {
        this.db.close();
        throw fileError(describeFile(variable, options.path), error);
      }
    }
    this.pollMs = options.pollMs ?? 250;
    this.appended.setMaxListeners(0);
    this.stmt = this.prepare();
    this.writer = new GroupCommit(this.db, options.clock ?? (() => new Date()), {
      wants: () => this.appended.listenerCount('append') > 0,
      emit: (events) => this.appended.emit('append', events),
      health: this.health,
      what: this.what,
    });
  }

  /** Whether writes succeed now (a failing disk makes /ready say not-ready until they do again). */
  writeHealth(): WriteHealthReport {
    return this.health.report();
  }

  /**
   * For fault-injection tests: makes SQLite refuse to let the file grow past `bytes` with SQLITE_FULL
   * ("database or disk is full"), exactly as it answers on a full disk; null lifts the limit.
   */
  capSize(bytes: number | null): void {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    this.db.pragma(
      `max_page_count = ${bytes === null ? 4294967294 : Math.max(1, Math.floor(bytes / pageSize))}`,
    );
  }

  /** The file's size limit reached by pages: how many pages it holds now. */
  pageCount(): number {
    return this.db.pragma('page_count', { simple: true }) as number;
  }

  private prepare() {
    const db = this.db;
    const rows = (sql: string) => db.prepare(sql).raw(true);
    return {
      streamFwd: rows(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      streamBack: rows(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      all: rows(
        `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      ),
      recordedAtOf: db
        .prepare('SELECT recorded_at FROM events WHERE position >= ? ORDER BY position LIMIT 1')
        .pluck(),
      headPosition: db.prepare('SELECT max(position) FROM events').pluck().safeIntegers(true),
      // SQLite joins each line's tail itself: a million rows at start-up, so no object per row.
      entries: rows(
        'SELECT position, stream_id || char(9) || revision || char(9) || event_id || char(9) || hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      highestIssued: db
        .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        .pluck()
        .safeIntegers(true),
    };
  }

  /** Group-committed: see src/store/sqlite-append.ts. */
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.writer.append(streamId, events, expected);
  }

  /** Group commits made since the store opened, and the appends they carried. */
  commitStats(): { groups: number; appends: number } {
    return { ...this.writer.commits };
  }

  /** All or nothing, in one transaction (see GroupCommit.appendAtomically). */
  async appendAtomically(
    appends: { streamId: string; events: EventToAppend[]; expected: ExpectedRevision }[],
  ): Promise<AppendResult[]> {
    return this.writer.appendAtomically(appends);
  }

  /** The highest position ever issued, and the last one in the log: a gap at the end means events were removed. */
  issuedPositions(): { issued: bigint; head: bigint } {
    return {
      issued: (this.stmt.highestIssued.get() as bigint | undefined) ?? 0n,
      head: (this.stmt.headPosition.get() as bigint | null) ?? 0n,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.streamBack.all(streamId, options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER), max)
        : this.stmt.streamFwd.all(streamId, options.fromRevision ?? 0n, max);
    return (rows as Row[]).map(toRecorded);
  }

  readAllSync(options: ReadAllOptions = {}): RecordedEvent[] {
    let upper = options.toPosition ?? BigInt(Number.MAX_SAFE_INTEGER);
    if (options.toRecordedAt !== undefined) {
      const byTime = this.positionAtTime(options.toRecordedAt);
      if (byTime < upper) upper = byTime;
    }
    const rows = this.stmt.all.all(options.after ?? 0n, upper, options.maxCount ?? -1) as Row[];
    const out = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = toRecorded(rows[i]!);
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  readAllAhead(after: bigint): AsyncIterable<RecordedEvent[]> | null {
    if (this.path === ':memory:') return null; // another connection would see another database
    return readAhead(this.path, { after });
  }

  /**
   * The last position recorded at or before a time. Recorded-at never decreases along the log (see
   * nextRecordedAt), so a binary search over positions finds it with a few index look-ups.
   */
  positionAtTime(iso: string): bigint {
    let lo = 0n;
    let hi = (this.stmt.headPosition.get() as bigint | null) ?? 0n;
    while (lo < hi) {
      const mid = (lo + hi + 1n) / 2n;
      const at = this.stmt.recordedAtOf.get(mid) as string | undefined;
      if (at !== undefined && at <= iso) lo = mid;
      else hi = mid - 1n;
    }
    return lo;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return catchUpSubscription(
      {
        readAfter: async (after, maxCount) => this.readAllSync({ after, maxCount }),
        onAppend: (listener) => {
          this.appended.on('append', listener);
          return () => this.appended.off('append', listener);
        },
        pollMs: this.pollMs,
      },
      options,
    );
  }

  /**
   * The log without its data, as the tails of its digest lines (`stream\trevision\tevent id\thash`), for a
   * digest of the whole log (src/store/log-digest.ts).
   */
  logLines(after: bigint, maxCount: number): { lastPosition: bigint; tails: string[] } | null {
    const rows = this.stmt.entries.all(after, maxCount) as [number, string][];
    if (rows.length === 0) return null;
    const tails = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) tails[i] = rows[i]![1];
    return { lastPosition: BigInt(rows[rows.length - 1]![0]), tails };
  }

  async headPosition(): Promise<bigint> {
    return (this.stmt.headPosition.get() as bigint | null) ?? 0n;
  }

  async verify(options: { onProgress?: (n: number) => void } = {}): Promise<VerifyReport> {
    const all = this.stmt.all;
    async function* pages(): AsyncGenerator<StoredEvent[]> {
      let after = 0n;
      for (;;) {
        const rows = all.all(after, BigInt(Number.MAX_SAFE_INTEGER), PAGE_SIZE) as Row[];
        if (rows.length === 0) return;
        yield rows.map(toStored);
        after = BigInt(rows[rows.length - 1]![0]);
      }
    }
    const highest = (this.stmt.highestIssued.get() as bigint | undefined) ?? 0n;
    return verifyLog(pages(), { densePositions: true, highestIssuedPosition: highest, ...options });
  }

  async close(): Promise<void> {
    // Appends still queued are written before the file closes.
    if (this.db.open) this.writer.flush();
    this.appended.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}
