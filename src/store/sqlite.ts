import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors.ts';
import {
  assertDistinctIds,
  buildBatch,
  checkExpectedRevision,
  idempotentResult,
  nextRecordedAt,
  type StreamHead,
} from './append-rules.ts';
import { catchUpSubscription } from './catch-up.ts';
import { type StoredEvent, sameMetadata, verifyLog } from './hash-chain.ts';
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
import { fromRow, type MetaRow, metadataOf } from './row.ts';
import { readAhead } from './sqlite-read-ahead.ts';

// The embedded default store: one SQLite file through better-sqlite3.
//
// Durability: WAL with synchronous=FULL by default. An append is acknowledged only after its
// transaction's WAL frames are fsynced, so an acknowledged append survives a process crash and, on a
// disk that honours fsync, a power loss. `synchronous: 'normal'` is faster but may lose the newest
// acknowledged appends on power loss (never on a process crash); it is there for imports and benches.
//
// Immutability: triggers refuse any UPDATE or DELETE on the events table; AUTOINCREMENT keeps positions
// from ever being reused, so removed rows show up as gaps that `verify` reports.

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  synchronous?: 'full' | 'normal';
  clock?: () => Date;
  /** How often a subscription looks for appends made by other processes on the same file. */
  pollMs?: number;
  readonly?: boolean;
}

const COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash';

// Integers are read as numbers (positions stay far below 2^53) and made bigint here: better-sqlite3's
// safeIntegers mode is about a third slower on the read path.
type Row = [number, string, number, string, string, number, string, string, string, string];

// The metadata is one column, a compact JSON array [actor id, actor role, occurred-at, correlation id,
// causation id]: one column to write and read instead of five (the store is measured against a plain
// table, and every column costs on both paths).
function metaJson(m: EventToAppend['metadata']): string {
  return JSON.stringify([m.actor.id, m.actor.role, m.occurredAt, m.correlationId, m.causationId]);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  meta           TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TRIGGER IF NOT EXISTS events_are_immutable_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correction instead'); END;
CREATE TRIGGER IF NOT EXISTS events_are_immutable_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correction instead'); END;
`;

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
  private readonly clock: () => Date;
  private readonly pollMs: number;
  private readonly appended = new EventEmitter();
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  private readonly appendSavepoint: (
    streamId: string,
    events: EventToAppend[],
    e: ExpectedRevision,
  ) => AppendResult;
  private readonly groupTx: (group: QueuedAppend[], outcomes: GroupOutcome[]) => void;
  private queue: QueuedAppend[] = [];

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.path = options.path;
    this.db = new Database(options.path, { readonly: options.readonly ?? false });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 10000');
    if (!options.readonly) this.db.exec(SCHEMA);
    this.clock = options.clock ?? (() => new Date());
    this.pollMs = options.pollMs ?? 250;
    this.appended.setMaxListeners(0);
    this.stmt = this.prepare();
    // Called inside the group's transaction, a better-sqlite3 transaction function runs as a savepoint.
    this.appendSavepoint = this.db.transaction((streamId, events, expected) =>
      this.appendInTx(streamId, events, expected),
    ) as typeof this.appendSavepoint;
    this.groupTx = this.db.transaction((group: QueuedAppend[], outcomes: GroupOutcome[]) => {
      for (const a of group) {
        try {
          outcomes.push({ ok: true, ...this.appendOne(a) });
        } catch (error) {
          // An error that ended the whole transaction (SQLite rolls back on I/O errors, a full disk)
          // fails the group: nothing after it may run outside the transaction.
          if (!this.db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
    }).immediate as typeof this.groupTx;
  }

  private prepare() {
    const db = this.db;
    const rows = (sql: string) => db.prepare(sql).raw(true);
    return {
      head: db
        .prepare('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
        .raw(true)
        .safeIntegers(true),
      newest: db.prepare('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck(),
      byId: rows(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`),
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
      highestIssued: db
        .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        .pluck()
        .safeIntegers(true),
    };
  }

  private appendInTx(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult {
    const headRow = this.stmt.head.get(streamId) as [bigint, string] | undefined;
    const head: StreamHead | null = headRow ? { revision: headRow[0], hash: headRow[1] } : null;
    // A refusal may still be a re-append of events already written: appendOne looks, outside this savepoint.
    checkExpectedRevision(streamId, expected, head);
    const recordedAt = nextRecordedAt(this.clock(), (this.stmt.newest.get() as string | undefined) ?? null);
    const built = buildBatch(streamId, events, head, recordedAt);
    let position = 0n;
    const metas: string[] = [];
    try {
      // Up to INSERT_ROWS events go in one multi-row INSERT: one statement run per chunk, not per event.
      for (let from = 0; from < built.length; from += INSERT_ROWS) {
        const chunk = built.slice(from, from + INSERT_ROWS);
        const values: unknown[] = [];
        let lastMeta: EventToAppend['metadata'] | null = null;
        let lastMetaJson = '';
        for (const b of chunk) {
          // Events of one command share their metadata: serialise it once.
          const m = b.event.metadata;
          if (lastMeta === null || !sameMetadata(lastMeta, m)) {
            lastMeta = m;
            lastMetaJson = metaJson(m);
          }
          metas.push(lastMetaJson);
          values.push(
            streamId,
            b.revision,
            b.event.eventId,
            b.event.type,
            b.event.schemaVersion,
            b.dataJson,
            lastMetaJson,
            b.recordedAt,
            b.hash,
          );
        }
        position = BigInt(this.insertRows(chunk.length).run(values).lastInsertRowid);
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        // Undo this batch's inserts before looking: the ids may belong to an earlier append.
        throw new ReplayCheck();
      }
      throw error;
    }
    // One transaction's rows take consecutive positions, ending at the last one inserted.
    const first = Number(position) - built.length + 1;
    // Made when first asked for (the command handler and this process's subscriptions share them).
    let recorded: RecordedEvent[] | undefined;
    return {
      nextExpectedRevision: built[built.length - 1]!.revision,
      position,
      get recorded() {
        recorded ??= built.map((b, i) =>
          toRecorded([
            first + i,
            streamId,
            Number(b.revision),
            b.event.eventId,
            b.event.type,
            b.event.schemaVersion,
            b.dataJson,
            metas[i]!,
            b.recordedAt,
            b.hash,
          ]),
        );
        return recorded;
      },
    };
  }

  private insertRows(n: number): Database.Statement {
    let stmt = this.inserts.get(n);
    if (!stmt) {
      stmt = this.db.prepare(
        `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.inserts.set(n, stmt);
    }
    return stmt;
  }

  private replayOf(streamId: string, events: EventToAppend[]): AppendResult | null {
    const known = events.map((e) => {
      const row = this.stmt.byId.get(e.eventId) as Row | undefined;
      return row ? toRecorded(row) : undefined;
    });
    const replay = idempotentResult(streamId, events, known);
    return replay && { ...replay, recorded: known as RecordedEvent[] };
  }

  /**
   * Appends are committed in groups (group commit): an append joins a queue, and the queue is written
   * at the end of the event-loop turn as one transaction, each append inside its own savepoint. Every
   * append keeps its own revision check and its own outcome (one append's conflict never undoes
   * another's), but the group pays for one commit and one fsync. An append is acknowledged only once the
   * group's commit has returned, so durability is unchanged; a lone append waits one loop turn.
   */
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('an append needs at least one event'));
    try {
      assertDistinctIds(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (this.queue.length === 1) setImmediate(this.flushQueue);
    });
  }

  private readonly flushQueue = (): void => {
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    const outcomes: GroupOutcome[] = [];
    try {
      this.groupTx(group, outcomes);
    } catch (error) {
      // The commit itself failed (an I/O error, a full disk): nothing in the group was written.
      for (const a of group) a.reject(error);
      return;
    }
    // The new events go to this process's subscriptions with the wake-up, so a subscription that is
    // level with the log need not read back what was just written.
    let written: RecordedEvent[] | null = null;
    for (let i = 0; i < group.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        if (outcome.inserted) {
          written ??= [];
          if (this.appended.listenerCount('append') > 0) written.push(...outcome.result.recorded!);
        }
        group[i]!.resolve(outcome.result);
      } else group[i]!.reject(outcome.error);
    }
    if (written) this.appended.emit('append', written);
  };

  /**
   * One append inside the group's transaction; its savepoint is undone if it fails. A refused append
   * whose events are all already in the stream, in order, is a re-append: it is acknowledged with the
   * first write's result and writes nothing (idempotentResult names a partial overlap).
   */
  private appendOne(a: QueuedAppend): { result: AppendResult; inserted: boolean } {
    try {
      return { result: this.appendSavepoint(a.streamId, a.events, a.expected), inserted: true };
    } catch (error) {
      const refused = error instanceof ReplayCheck || error instanceof WrongExpectedRevisionError;
      const replay = refused ? this.replayOf(a.streamId, a.events) : null;
      if (replay) return { result: replay, inserted: false };
      // A unique violation that is not a replay: a (stream, revision) race cannot happen under the
      // immediate transaction, so it is an event id used elsewhere.
      if (error instanceof ReplayCheck) throw new Error(`append to ${a.streamId} violated a unique key`);
      throw error;
    }
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
    if (this.db.open) this.flushQueue();
    this.appended.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}

class ReplayCheck extends Error {}

interface QueuedAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type GroupOutcome = { ok: true; result: AppendResult; inserted: boolean } | { ok: false; error: unknown };

const INSERT_ROWS = 100;

function toStored(r: Row): StoredEvent {
  return {
    position: BigInt(r[0]),
    streamId: r[1],
    revision: BigInt(r[2]),
    eventId: r[3],
    type: r[4],
    schemaVersion: r[5],
    dataJson: r[6],
    metadata: metadataOf(JSON.parse(r[7]) as MetaRow),
    recordedAt: r[8],
    hash: r[9],
  };
}

function toRecorded(r: Row): RecordedEvent {
  return fromRow(
    r[0],
    r[1],
    r[2],
    r[3],
    r[4],
    r[5],
    JSON.parse(r[6]),
    JSON.parse(r[7]) as MetaRow,
    r[8],
    r[9],
  );
}
