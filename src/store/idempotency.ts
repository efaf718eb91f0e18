import type Database from 'better-sqlite3';
import { describeFile, fileError, openSqliteFile } from './sqlite-file.ts';
import { NOT_THE_LOG } from './sqlite-schema.ts';
import { rethrowAsStorage } from './storage-errors.ts';

// The Idempotency-Key of each command a client sent (the IETF httpapi draft's header), kept outside the
// log: who sent it (the scope), a fingerprint of the request, and, once it succeeded, what it answered.
// A row without an answer is a request still in flight. A row lives for the configured lifetime from
// when the request began (LEDGER_IDEMPOTENCY_HOURS); expired rows are removed as new ones are written.
// What is kept as the answer is decided by src/app/idempotency.ts: references into the log, never
// personal data.

export type Begun =
  | { state: 'new' }
  | { state: 'in_flight'; since: number }
  | { state: 'mismatch' }
  | { state: 'done'; answer: string };

export interface IdempotencyKeys {
  /** Claims the key for a request (atomically, across processes), or says what became of it. */
  begin(scope: string, key: string, fingerprint: string, now: number): Begun;
  /** Records the answer of a request that succeeded. */
  complete(scope: string, key: string, answer: string): void;
  /** Forgets a key whose request failed or was refused: nothing was written, so a retry runs anew. */
  release(scope: string, key: string): void;
  close(): void;
}

export interface IdempotencyTimes {
  /** How long a key is remembered (ms). */
  lifetimeMs: number;
  /** After this long without an answer (a process killed mid-request), a key in flight may be claimed again. */
  inFlightMs: number;
}

interface Row {
  fingerprint: string;
  begun_at: number;
  answer: string | null;
}

/** Judges an existing row (or none) for a new request with this fingerprint. */
function judge(
  row: Row | undefined,
  fingerprint: string,
  now: number,
  times: IdempotencyTimes,
): Begun | null {
  if (!row || now - row.begun_at >= times.lifetimeMs) return null; // free to claim
  if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (row.answer !== null) return { state: 'done', answer: row.answer };
  if (now - row.begun_at >= times.inFlightMs) return null; // abandoned by a process that died
  return { state: 'in_flight', since: row.begun_at };
}

export class MemoryIdempotencyKeys implements IdempotencyKeys {
  private readonly rows = new Map<string, Row>();
  constructor(private readonly times: IdempotencyTimes) {}
  begin(scope: string, key: string, fingerprint: string, now: number): Begun {
    const id = JSON.stringify([scope, key]);
    const found = judge(this.rows.get(id), fingerprint, now, this.times);
    if (found) return found;
    this.rows.set(id, { fingerprint, begun_at: now, answer: null });
    for (const [other, row] of this.rows)
      if (now - row.begun_at >= this.times.lifetimeMs) this.rows.delete(other);
    return { state: 'new' };
  }
  complete(scope: string, key: string, answer: string): void {
    const row = this.rows.get(JSON.stringify([scope, key]));
    if (row) row.answer = answer;
  }
  release(scope: string, key: string): void {
    this.rows.delete(JSON.stringify([scope, key]));
  }
  close(): void {}
}

export class SqliteIdempotencyKeys implements IdempotencyKeys {
  private readonly db: Database.Database;
  private readonly what: string;
  private readonly stmt;
  private lastPurge = 0;

  constructor(
    path: string,
    private readonly times: IdempotencyTimes,
    variable = 'LEDGER_IDEMPOTENCY_DB',
  ) {
    this.what = `the idempotency keys (${describeFile(variable, path)})`;
    this.db = openSqliteFile(path, {
      variable,
      foreignTables: {
        ...Object.fromEntries(Object.entries(NOT_THE_LOG).filter(([table]) => table !== 'idempotency_keys')),
        events: 'an event log (LEDGER_DB)',
      },
    });
    this.db.pragma('busy_timeout = 5000');
    try {
      this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
        scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, begun_at INTEGER NOT NULL,
        answer TEXT, PRIMARY KEY (scope, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_keys_begun ON idempotency_keys (begun_at);`);
    } catch (error) {
      this.db.close();
      throw fileError(describeFile(variable, path), error);
    }
    const db = this.db;
    this.stmt = {
      get: db.prepare(
        'SELECT fingerprint, begun_at, answer FROM idempotency_keys WHERE scope = ? AND key = ?',
      ),
      claim: db.prepare(
        'INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, begun_at, answer) VALUES (?, ?, ?, ?, NULL)',
      ),
      complete: db.prepare('UPDATE idempotency_keys SET answer = ? WHERE scope = ? AND key = ?'),
      release: db.prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND answer IS NULL'),
      purge: db.prepare('DELETE FROM idempotency_keys WHERE begun_at <= ?'),
    };
  }

  begin(scope: string, key: string, fingerprint: string, now: number): Begun {
    try {
      // One immediate transaction: two processes claiming one key cannot both find it free.
      return this.db
        .transaction(() => {
          const found = judge(this.stmt.get.get(scope, key) as Row | undefined, fingerprint, now, this.times);
          if (found) return found;
          this.stmt.claim.run(scope, key, fingerprint, now);
          if (now - this.lastPurge > 60_000) {
            this.lastPurge = now;
            this.stmt.purge.run(now - this.times.lifetimeMs);
          }
          return { state: 'new' } as const;
        })
        .immediate();
    } catch (error) {
      rethrowAsStorage(error, this.what);
    }
  }

  complete(scope: string, key: string, answer: string): void {
    try {
      this.stmt.complete.run(answer, scope, key);
    } catch (error) {
      rethrowAsStorage(error, this.what);
    }
  }

  release(scope: string, key: string): void {
    try {
      this.stmt.release.run(scope, key);
    } catch (error) {
      rethrowAsStorage(error, this.what);
    }
  }

  close(): void {
    this.db.close();
  }
}
