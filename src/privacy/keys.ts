import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
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

/**
 * The key that signs checkpoints of the log, and a second copy of each checkpoint, kept with the student
 * keys: outside the log, so a writer of the log cannot forge or remove them (src/store/checkpoints.ts).
 */
export interface CheckpointKeys {
  /** The ledger's Ed25519 key pair, created on first use. */
  signingKey(): SigningKey;
  keepCheckpoint(count: number, record: string): void;
  keptCheckpoints(): string[];
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

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
  private readonly cache = new Map<string, Buffer | null>();
  private readonly stmt;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS signing_keys (
        name TEXT PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS checkpoints (count INTEGER PRIMARY KEY, record TEXT NOT NULL);`);
    this.stmt = {
      get: this.db.prepare('SELECT key FROM subject_keys WHERE subject_id = ?').pluck(),
      put: this.db.prepare('INSERT OR IGNORE INTO subject_keys (subject_id, key) VALUES (?, ?)'),
      del: this.db.prepare('DELETE FROM subject_keys WHERE subject_id = ?'),
      signing: this.db.prepare("SELECT private_key FROM signing_keys WHERE name = 'checkpoints'").pluck(),
      putSigning: this.db.prepare(
        "INSERT OR IGNORE INTO signing_keys (name, private_key, public_key, created_at) VALUES ('checkpoints', ?, ?, ?)",
      ),
      keep: this.db.prepare('INSERT OR IGNORE INTO checkpoints (count, record) VALUES (?, ?)'),
      kept: this.db.prepare('SELECT record FROM checkpoints ORDER BY count').pluck(),
    };
  }

  signingKey(): SigningKey {
    let der = this.stmt.signing.get() as Buffer | undefined;
    if (!der) {
      const made = newSigningKey();
      // Another process may have made one at the same moment: the first stored is the ledger's.
      this.stmt.putSigning.run(
        made.privateKey.export({ format: 'der', type: 'pkcs8' }),
        made.publicKey.export({ format: 'der', type: 'spki' }),
        new Date().toISOString(),
      );
      der = this.stmt.signing.get() as Buffer;
    }
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }

  keepCheckpoint(count: number, record: string): void {
    this.stmt.keep.run(count, record);
  }

  keptCheckpoints(): string[] {
    return this.stmt.kept.all() as string[];
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
