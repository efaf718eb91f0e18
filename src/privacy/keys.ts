import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CheckpointKeys, SigningKey } from '../store/checkpoints.ts';
import { describeFile, fileError, openSqliteFile } from '../store/sqlite-file.ts';
import { storageFailure, WriteHealth, type WriteHealthReport } from '../store/storage-errors.ts';

// The student keys that seal personal data, held outside the immutable log. Destroying a key is the
// erasure: every copy of the sealed data (in the log, in backups of the log) becomes unreadable, while
// the log itself is never rewritten and its hash chain still verifies.

export interface KeyStore {
  /** The key for a subject, created on first use. */
  keyFor(subjectId: string): Buffer;
  /** The key if it exists and was not destroyed. */
  find(subjectId: string): Buffer | null;
  /** Destroys the key; returns false when there was none. */
  destroy(subjectId: string): boolean;
  /**
   * Marks an erasure about to be recorded (src/privacy/erasure.ts): a write that shows the keys can be
   * written now, so that the event is not recorded when the key could not then be destroyed.
   */
  prepareErasure?(subjectId: string): void;
  cancelErasure?(subjectId: string): void;
  close(): void;
}

export type { CheckpointKeys, SigningKey };

function newSigningKey(): SigningKey {
  return generateKeyPairSync('ed25519');
}

export class MemoryKeyStore implements KeyStore, CheckpointKeys {
  private readonly keys = new Map<string, Buffer>();
  private signing: SigningKey | null = null;
  private readonly checkpoints = new Map<number, string>();
  keyFor(subjectId: string): Buffer {
    let key = this.keys.get(subjectId);
    if (!key) {
      key = randomBytes(32);
      this.keys.set(subjectId, key);
    }
    return key;
  }
  find(subjectId: string): Buffer | null {
    return this.keys.get(subjectId) ?? null;
  }
  destroy(subjectId: string): boolean {
    const key = this.keys.get(subjectId);
    if (key) key.fill(0);
    return this.keys.delete(subjectId);
  }
  signingKey(): SigningKey {
    this.signing ??= newSigningKey();
    return this.signing;
  }
  keepCheckpoint(count: number, record: string): void {
    this.checkpoints.set(count, record);
  }
  keptCheckpoints(): string[] {
    return [...this.checkpoints.values()];
  }
  close(): void {}
}

/** Keys in their own SQLite file (never the event log's), with secure_delete so erased keys are zeroed. */
export class SqliteKeyStore implements KeyStore, CheckpointKeys {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly what: string;
  private writeFault: Error | null = null;
  private readonly health: WriteHealth;

  constructor(path: string, variable = 'LEDGER_KEYS_DB') {
    this.what = `the student keys (${describeFile(variable, path)})`;
    this.db = openSqliteFile(path, {
      variable,
      foreignTables: { events: 'an event log (LEDGER_DB)', tokens: 'the bearer tokens (LEDGER_AUTH_DB)' },
    });
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    try {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS pending_erasures (subject_id TEXT PRIMARY KEY, since TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS signing_keys (
          name TEXT PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS checkpoints (count INTEGER PRIMARY KEY, record TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL, pad BLOB NOT NULL);`);
    } catch (error) {
      this.db.close();
      throw fileError(describeFile(variable, path), error);
    }
    const db = this.db;
    const probe = db.prepare(
      'INSERT OR REPLACE INTO write_probe (id, at, pad) VALUES (1, ?, zeroblob(65536))',
    );
    this.health = new WriteHealth(() => {
      if (this.writeFault) throw this.writeFault;
      probe.run(new Date().toISOString());
    });
    this.stmt = {
      get: db.prepare('SELECT key FROM subject_keys WHERE subject_id = ?').pluck(),
      put: db.prepare('INSERT OR IGNORE INTO subject_keys (subject_id, key) VALUES (?, ?)'),
      del: db.prepare('DELETE FROM subject_keys WHERE subject_id = ?'),
      mark: db.prepare('INSERT OR REPLACE INTO pending_erasures (subject_id, since) VALUES (?, ?)'),
      unmark: db.prepare('DELETE FROM pending_erasures WHERE subject_id = ?'),
      signing: db.prepare("SELECT private_key FROM signing_keys WHERE name = 'checkpoints'").pluck(),
      putSigning: db.prepare(
        "INSERT OR IGNORE INTO signing_keys (name, private_key, public_key, created_at) VALUES ('checkpoints', ?, ?, ?)",
      ),
      keep: db.prepare('INSERT OR IGNORE INTO checkpoints (count, record) VALUES (?, ?)'),
      kept: db.prepare('SELECT record FROM checkpoints ORDER BY count').pluck(),
    };
  }

  /** Every write goes through here: a full or failing disk becomes a 503 naming the keys database. */
  private write<T>(run: () => T): T {
    let result: T;
    try {
      if (this.writeFault) throw this.writeFault;
      result = run();
    } catch (error) {
      const failure = storageFailure(error, this.what);
      if (failure) this.health.failed(failure);
      throw failure ?? error;
    }
    this.health.succeeded();
    return result;
  }

  /** Whether the keys can be written now (a readiness check runs a small real commit while they cannot). */
  writeHealth(): WriteHealthReport {
    return this.health.report();
  }

  /**
   * For fault-injection tests: every write fails with this error (e.g. SQLITE_FULL) until lifted with
   * null, as on a full disk. Reads go on working, as they do there.
   */
  injectWriteFault(error: Error | null): void {
    this.writeFault = error;
  }

  // Keys are read from the database every time, never cached: another process may destroy one (an
  // erasure), and from then on no process may use it (a lookup by primary key costs microseconds).
  find(subjectId: string): Buffer | null {
    return (this.stmt.get.get(subjectId) as Buffer | undefined) ?? null;
  }

  keyFor(subjectId: string): Buffer {
    const found = this.find(subjectId);
    if (found) return found;
    this.write(() => this.stmt.put.run(subjectId, randomBytes(32)));
    return this.find(subjectId)!;
  }

  prepareErasure(subjectId: string): void {
    this.write(() => this.stmt.mark.run(subjectId, new Date().toISOString()));
  }

  cancelErasure(subjectId: string): void {
    this.write(() => this.stmt.unmark.run(subjectId));
  }

  destroy(subjectId: string): boolean {
    const removed = this.write(() =>
      this.db.transaction(() => {
        this.stmt.unmark.run(subjectId);
        return this.stmt.del.run(subjectId).changes > 0;
      })(),
    );
    // secure_delete zeroes the page in the file; the checkpoint also clears the old page from the WAL.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  signingKey(): SigningKey {
    let der = this.stmt.signing.get() as Buffer | undefined;
    if (!der) {
      const made = newSigningKey();
      // Another process may have made one at the same moment: the first stored is the ledger's.
      this.write(() =>
        this.stmt.putSigning.run(
          made.privateKey.export({ format: 'der', type: 'pkcs8' }),
          made.publicKey.export({ format: 'der', type: 'spki' }),
          new Date().toISOString(),
        ),
      );
      der = this.stmt.signing.get() as Buffer;
    }
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }

  keepCheckpoint(count: number, record: string): void {
    this.write(() => this.stmt.keep.run(count, record));
  }

  keptCheckpoints(): string[] {
    return this.stmt.kept.all() as string[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
