import type Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors.ts';
import {
  assertDistinctIds,
  buildBatch,
  checkExpectedRevision,
  idempotentResult,
  nextRecordedAt,
  type StreamHead,
} from './append-rules.ts';
import { sameMetadata } from './hash-chain.ts';
import type { AppendResult, EventToAppend, ExpectedRevision, RecordedEvent } from './port.ts';
import { COLUMNS, metaJson, type Row, toRecorded } from './sqlite-schema.ts';
import { storageFailure, type WriteHealth } from './storage-errors.ts';

// The SQLite store's writing half: appends are committed in groups (group commit). An append joins a
// queue, and the queue is written at the end of the event-loop turn as one transaction, each append
// undone alone if it fails (its one INSERT statement, or a savepoint around a longer batch). Every
// append keeps its own revision check and its own outcome (one append's conflict never undoes
// another's), but the group pays for one commit and one fsync. An append is acknowledged only once the
// group's commit has returned, so durability is unchanged; a lone append waits one loop turn.

/** Up to this many events go in one multi-row INSERT: one statement run per chunk, not per event. */
const INSERT_ROWS = 100;

export class GroupCommit {
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly stmt;
  private readonly appendSavepoint: (
    streamId: string,
    events: EventToAppend[],
    e: ExpectedRevision,
  ) => AppendResult;
  private readonly groupTx: (group: QueuedAppend[], outcomes: GroupOutcome[]) => void;
  private queue: QueuedAppend[] = [];
  /**
   * The log's tail (highest position issued, newest recorded-at) inside the transaction being written: read
   * from the file by its first append, then carried from append to append (two statements fewer each).
   * `written` is the tail after the append in progress, adopted only once its savepoint is released.
   */
  private tail: LogTail | null = null;
  private writtenTail: LogTail | null = null;
  /** Group commits made, and the appends they carried (their ratio is how well commits are shared). */
  readonly commits = { groups: 0, appends: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
    /** Hands the events a group wrote to this process's subscriptions, and hears how commits go. */
    private readonly written: {
      wants(): boolean;
      emit(events: RecordedEvent[]): void;
      health: WriteHealth;
      /** How messages name the file. */
      what: string;
    },
  ) {
    this.stmt = {
      head: db
        .prepare('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
        .raw(true)
        .safeIntegers(true),
      newest: db.prepare('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck(),
      // The highest position ever issued (AUTOINCREMENT's own record), so a position is never reused.
      issued: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck(),
      byId: db.prepare(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`).raw(true),
    };
    // Called inside the group's transaction, a better-sqlite3 transaction function runs as a savepoint.
    this.appendSavepoint = db.transaction((streamId, events, expected) =>
      this.appendInTx(streamId, events, expected),
    ) as typeof this.appendSavepoint;
    this.groupTx = db.transaction((group: QueuedAppend[], outcomes: GroupOutcome[]) => {
      this.tail = null;
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

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('an append needs at least one event'));
    try {
      assertDistinctIds(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  /**
   * Several appends as one transaction, all or nothing (the first start's demo): any refusal or storage
   * failure rolls every one of them back. What is queued is written first, on its own.
   */
  appendAtomically(appends: { streamId: string; events: EventToAppend[]; expected: ExpectedRevision }[]) {
    this.flush();
    let results: AppendResult[];
    try {
      for (const a of appends) assertDistinctIds(a.events);
      this.tail = null;
      results = this.db
        .transaction(() =>
          appends.map((a) => {
            const result = this.appendInTx(a.streamId, a.events, a.expected);
            this.tail = this.writtenTail;
            return result;
          }),
        )
        .immediate();
    } catch (error) {
      const failure = storageFailure(error, this.written.what);
      if (failure) this.written.health.failed(failure);
      throw (
        failure ?? (error instanceof ReplayCheck ? new Error('an event id is already in the log') : error)
      );
    }
    this.written.health.succeeded();
    if (this.written.wants()) this.written.emit(results.flatMap((r) => r.recorded!));
    return results;
  }

  /** Writes what is queued now (close calls it, so nothing queued is lost). */
  readonly flush = (): void => {
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    const outcomes: GroupOutcome[] = [];
    try {
      this.groupTx(group, outcomes);
    } catch (error) {
      // The commit itself failed (an I/O error, a full disk): nothing in the group was written.
      const failure = storageFailure(error, this.written.what);
      if (failure) this.written.health.failed(failure);
      for (const a of group) a.reject(failure ?? error);
      return;
    }
    this.written.health.succeeded();
    this.commits.groups++;
    this.commits.appends += group.length;
    // The new events go to this process's subscriptions with the wake-up, so a subscription that is
    // level with the log need not read back what was just written.
    let written: RecordedEvent[] | null = null;
    for (let i = 0; i < group.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        if (outcome.inserted) {
          written ??= [];
          if (this.written.wants()) written.push(...outcome.result.recorded!);
        }
        group[i]!.resolve(outcome.result);
      } else group[i]!.reject(storageFailure(outcome.error, this.written.what) ?? outcome.error);
    }
    if (written) this.written.emit(written);
  };

  /**
   * One append inside the group's transaction; what it wrote is undone if it fails. A refused append
   * whose events are all already in the stream, in order, is a re-append: it is acknowledged with the
   * first write's result and writes nothing (idempotentResult names a partial overlap).
   */
  private appendOne(a: QueuedAppend): { result: AppendResult; inserted: boolean } {
    try {
      // One INSERT statement undoes itself when it fails (SQLite's statement journal), so an append that
      // fits in one needs no savepoint of its own: two statements fewer for nearly every command.
      const result =
        a.events.length <= INSERT_ROWS
          ? this.appendInTx(a.streamId, a.events, a.expected)
          : this.appendSavepoint(a.streamId, a.events, a.expected);
      this.tail = this.writtenTail;
      return { result, inserted: true };
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

  private appendInTx(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult {
    const headRow = this.stmt.head.get(streamId) as [bigint, string] | undefined;
    const head: StreamHead | null = headRow ? { revision: headRow[0], hash: headRow[1] } : null;
    // A refusal may still be a re-append of events already written: appendOne looks, outside this savepoint.
    checkExpectedRevision(streamId, expected, head);
    const tail = this.tail ?? {
      issued: (this.stmt.issued.get() as number | undefined) ?? 0,
      newest: (this.stmt.newest.get() as string | undefined) ?? null,
    };
    const recordedAt = nextRecordedAt(this.clock(), tail.newest);
    // Positions are chosen here, under the write lock, because a v2 hash covers the event's position.
    const first = tail.issued + 1;
    const built = buildBatch(streamId, events, head, recordedAt, BigInt(first));
    const metas: string[] = [];
    try {
      for (let from = 0; from < built.length; from += INSERT_ROWS) {
        const chunk = built.slice(from, from + INSERT_ROWS);
        const values: unknown[] = [];
        let lastMeta: EventToAppend['metadata'] | null = null;
        let lastMetaJson = '';
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i]!;
          // Events of one command share their metadata: serialise it once.
          const m = b.event.metadata;
          if (lastMeta === null || !sameMetadata(lastMeta, m)) {
            lastMeta = m;
            lastMetaJson = metaJson(m);
          }
          metas.push(lastMetaJson);
          values.push(
            first + from + i,
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
        this.insertRows(chunk.length).run(values);
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        // Undo this batch's inserts before looking: the ids may belong to an earlier append.
        throw new ReplayCheck();
      }
      throw error;
    }
    this.writtenTail = { issued: first + built.length - 1, newest: recordedAt };
    // Made when first asked for (the command handler and this process's subscriptions share them).
    let recorded: RecordedEvent[] | undefined;
    return {
      nextExpectedRevision: built[built.length - 1]!.revision,
      position: BigInt(first + built.length - 1),
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
        `INSERT INTO events (position, stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
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
}

class ReplayCheck extends Error {}

interface LogTail {
  issued: number;
  newest: string | null;
}

interface QueuedAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type GroupOutcome = { ok: true; result: AppendResult; inserted: boolean } | { ok: false; error: unknown };
