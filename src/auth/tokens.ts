import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { Role } from '../../events/envelope.ts';

// Bearer tokens. A token is shown once, when it is created; the ledger keeps only its SHA-256, so a copy
// of the token database gives nobody a way in. Tokens are operational data, not part of the academic
// record, so they live in their own small database beside the keys, not in the event log.

export const StaffRole = z.enum(['registry', 'tutor', 'examiner', 'admin', 'student']);
export type StaffRole = z.infer<typeof StaffRole>;

export interface Principal {
  /** The actor id recorded on every event this principal writes (a student's own id for students). */
  id: string;
  role: Exclude<Role, 'system'>;
  label: string;
}

export interface TokenStore {
  create(principal: Principal): string;
  verify(token: string): Principal | null;
  revoke(id: string): number;
  list(): (Principal & { createdAt: string })[];
  close(): void;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest();

export function newToken(): string {
  return `nsl_${randomBytes(24).toString('base64url')}`;
}

export class SqliteTokenStore implements TokenStore {
  private readonly db: Database.Database;
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      hash BLOB PRIMARY KEY, actor_id TEXT NOT NULL, role TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL)`);
  }
  create(p: Principal): string {
    const token = newToken();
    this.db
      .prepare('INSERT INTO tokens (hash, actor_id, role, label, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(hashOf(token), p.id, p.role, p.label, new Date().toISOString());
    return token;
  }
  verify(token: string): Principal | null {
    const row = this.db
      .prepare('SELECT hash, actor_id, role, label FROM tokens WHERE hash = ?')
      .get(hashOf(token)) as
      | { hash: Buffer; actor_id: string; role: Principal['role']; label: string }
      | undefined;
    if (!row || !timingSafeEqual(row.hash, hashOf(token))) return null;
    return { id: row.actor_id, role: row.role, label: row.label };
  }
  revoke(actorId: string): number {
    return this.db.prepare('DELETE FROM tokens WHERE actor_id = ?').run(actorId).changes;
  }
  list() {
    return (
      this.db.prepare('SELECT actor_id, role, label, created_at FROM tokens ORDER BY created_at').all() as {
        actor_id: string;
        role: Principal['role'];
        label: string;
        created_at: string;
      }[]
    ).map((r) => ({ id: r.actor_id, role: r.role, label: r.label, createdAt: r.created_at }));
  }
  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, Principal & { createdAt: string }>();
  create(p: Principal): string {
    const token = newToken();
    this.tokens.set(hashOf(token).toString('hex'), { ...p, createdAt: new Date().toISOString() });
    return token;
  }
  verify(token: string): Principal | null {
    const found = this.tokens.get(hashOf(token).toString('hex'));
    return found ? { id: found.id, role: found.role, label: found.label } : null;
  }
  revoke(actorId: string): number {
    let n = 0;
    for (const [h, p] of this.tokens) if (p.id === actorId && this.tokens.delete(h)) n++;
    return n;
  }
  list() {
    return [...this.tokens.values()];
  }
  close(): void {}
}
