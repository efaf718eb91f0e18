import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { LIST_SIZE_BITS } from './status-list.ts';

// The issuer's own database, outside the event log like the student keys (LEDGER_ISSUER_DB): the
// provider's Ed25519 signing keys, and one row per issued credential (its id, the award it stands for,
// its place in a status list, the key that signed it, and a copy sealed with the student's key). The
// status of a credential is never stored here: it is read from the log's award withdrawals, so it is
// right after a restart and from any process.

export interface IssuerKey {
  kid: string;
  createdAt: string;
  /** When a newer key took over; a retired key still verifies what it signed. */
  retiredAt: string | null;
  publicJwk: JWK;
}

export interface IssuedRow {
  credentialId: string;
  studentId: string;
  awardEventId: string;
  list: number;
  index: number;
  kid: string | null;
  issuedAt: string;
  /** The signed credential, sealed with the student key; null while being signed. */
  sealed: string | null;
}

/** Credentials per status list before a new list is opened, so each index stays hidden among many. */
const PER_LIST = 100_000;

interface KeyRow {
  kid: string;
  created_at: string;
  retired_at: string | null;
  public_jwk: string;
  private_jwk: string;
}
interface CredentialRow {
  credential_id: string;
  student_id: string;
  award_event_id: string;
  list: number;
  idx: number;
  kid: string | null;
  issued_at: string;
  sealed: string | null;
}

const toIssued = (r: CredentialRow): IssuedRow => ({
  credentialId: r.credential_id,
  studentId: r.student_id,
  awardEventId: r.award_event_id,
  list: r.list,
  index: r.idx,
  kid: r.kid,
  issuedAt: r.issued_at,
  sealed: r.sealed,
});

export class IssuerStore {
  private readonly db: Database.Database;

  /** `:memory:` for a ledger that keeps nothing (LEDGER_STORE=memory, tests). */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    // The private keys are in this file: readable by the ledger's user only.
    if (path !== ':memory:') chmodSync(path, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS issuer_keys (
        kid TEXT PRIMARY KEY, created_at TEXT NOT NULL, retired_at TEXT,
        public_jwk TEXT NOT NULL, private_jwk TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS issued_credentials (
        credential_id TEXT PRIMARY KEY, student_id TEXT NOT NULL, award_event_id TEXT NOT NULL UNIQUE,
        list INTEGER NOT NULL, idx INTEGER NOT NULL, kid TEXT, issued_at TEXT NOT NULL, sealed TEXT,
        UNIQUE (list, idx));
      CREATE INDEX IF NOT EXISTS issued_by_student ON issued_credentials (student_id);`);
  }

  /** In the order they were made (the clock may give two keys the same instant). */
  keys(): IssuerKey[] {
    const rows = this.db.prepare('SELECT * FROM issuer_keys ORDER BY rowid').all() as KeyRow[];
    return rows.map((r) => ({
      kid: r.kid,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
      publicJwk: JSON.parse(r.public_jwk) as JWK,
    }));
  }

  /** The current signing key (created on first use). */
  async currentKey(now: Date): Promise<{ kid: string; privateJwk: JWK }> {
    const found = this.currentRow();
    if (found) return { kid: found.kid, privateJwk: JSON.parse(found.private_jwk) as JWK };
    const made = await newKey();
    // Another process may have made one meanwhile: the first committed stays current.
    this.db
      .transaction(() => {
        if (!this.currentRow()) this.insertKey(made, now);
      })
      .immediate();
    const current = this.currentRow()!;
    return { kid: current.kid, privateJwk: JSON.parse(current.private_jwk) as JWK };
  }

  /** A new key becomes current; the old ones stay published so what they signed still verifies. */
  async rotate(now: Date): Promise<IssuerKey> {
    const made = await newKey();
    this.db
      .transaction(() => {
        this.db
          .prepare('UPDATE issuer_keys SET retired_at = ? WHERE retired_at IS NULL')
          .run(now.toISOString());
        this.insertKey(made, now);
      })
      .immediate();
    return this.keys().find((k) => k.kid === made.kid)!;
  }

  /**
   * Reserves a credential id and a random free place in a status list for an award (the specification
   * advises random places, so neighbours in a list say nothing about each other), or returns the row
   * already reserved for that award.
   */
  reserve(args: {
    credentialId: string;
    studentId: string;
    awardEventId: string;
    issuedAt: string;
  }): IssuedRow {
    return this.db
      .transaction(() => {
        const existing = this.findByAward(args.awardEventId);
        if (existing) return existing;
        const count = this.db.prepare('SELECT count(*) FROM issued_credentials').pluck().get() as number;
        const list = 1 + Math.floor(count / PER_LIST);
        const taken = this.db.prepare('SELECT 1 FROM issued_credentials WHERE list = ? AND idx = ?').pluck();
        let index = randomInt(LIST_SIZE_BITS);
        while (taken.get(list, index)) index = randomInt(LIST_SIZE_BITS);
        this.db
          .prepare(
            'INSERT INTO issued_credentials (credential_id, student_id, award_event_id, list, idx, issued_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(args.credentialId, args.studentId, args.awardEventId, list, index, args.issuedAt);
        return this.findByAward(args.awardEventId)!;
      })
      .immediate();
  }

  /** Stores the signed, sealed credential unless another process finished first; returns the stored row. */
  complete(credentialId: string, kid: string, sealed: string): IssuedRow {
    this.db
      .prepare('UPDATE issued_credentials SET kid = ?, sealed = ? WHERE credential_id = ? AND sealed IS NULL')
      .run(kid, sealed, credentialId);
    return this.findById(credentialId)!;
  }

  findByAward(awardEventId: string): IssuedRow | null {
    const row = this.db
      .prepare('SELECT * FROM issued_credentials WHERE award_event_id = ?')
      .get(awardEventId);
    return row ? toIssued(row as CredentialRow) : null;
  }

  findById(credentialId: string): IssuedRow | null {
    const row = this.db.prepare('SELECT * FROM issued_credentials WHERE credential_id = ?').get(credentialId);
    return row ? toIssued(row as CredentialRow) : null;
  }

  forStudent(studentId: string): IssuedRow[] {
    const rows = this.db
      .prepare('SELECT * FROM issued_credentials WHERE student_id = ? ORDER BY rowid')
      .all(studentId) as CredentialRow[];
    return rows.map(toIssued);
  }

  inList(list: number): IssuedRow[] {
    const rows = this.db
      .prepare('SELECT * FROM issued_credentials WHERE list = ?')
      .all(list) as CredentialRow[];
    return rows.map(toIssued);
  }

  lists(): number[] {
    return this.db
      .prepare('SELECT DISTINCT list FROM issued_credentials ORDER BY list')
      .pluck()
      .all() as number[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private currentRow(): KeyRow | undefined {
    return this.db
      .prepare('SELECT * FROM issuer_keys WHERE retired_at IS NULL ORDER BY rowid DESC LIMIT 1')
      .get() as KeyRow | undefined;
  }

  private insertKey(made: { kid: string; publicJwk: JWK; privateJwk: JWK }, now: Date): void {
    this.db
      .prepare('INSERT INTO issuer_keys (kid, created_at, public_jwk, private_jwk) VALUES (?, ?, ?, ?)')
      .run(made.kid, now.toISOString(), JSON.stringify(made.publicJwk), JSON.stringify(made.privateJwk));
  }
}

/** A fresh Ed25519 key; its id is its RFC 7638 thumbprint, so the id names exactly this key. */
async function newKey(): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' },
    privateJwk: { ...privateJwk, kid },
  };
}
