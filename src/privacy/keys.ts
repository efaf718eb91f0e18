import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
  close(): void;
}

export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, Buffer>();
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
  close(): void {}
}

/** Keys in their own SQLite file (never the event log's), with secure_delete so erased keys are zeroed. */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Buffer | null>();
  private readonly stmt;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec('CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL)');
    this.stmt = {
      get: this.db.prepare('SELECT key FROM subject_keys WHERE subject_id = ?').pluck(),
      put: this.db.prepare('INSERT OR IGNORE INTO subject_keys (subject_id, key) VALUES (?, ?)'),
      del: this.db.prepare('DELETE FROM subject_keys WHERE subject_id = ?'),
    };
  }

  keyFor(subjectId: string): Buffer {
    const found = this.find(subjectId);
    if (found) return found;
    this.stmt.put.run(subjectId, randomBytes(32));
    this.cache.delete(subjectId);
    return this.find(subjectId)!;
  }

  find(subjectId: string): Buffer | null {
    if (this.cache.has(subjectId)) return this.cache.get(subjectId)!;
    const key = (this.stmt.get.get(subjectId) as Buffer | undefined) ?? null;
    if (key) this.cache.set(subjectId, key);
    return key;
  }

  destroy(subjectId: string): boolean {
    this.cache.get(subjectId)?.fill(0);
    this.cache.delete(subjectId);
    const removed = this.stmt.del.run(subjectId).changes > 0;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
