import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { ev, streamName } from './store-contract.ts';

describe('tamper evidence in the SQLite store', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
    path = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function seed() {
    const store = new SqliteEventStore({ path });
    const a = streamName();
    const b = streamName();
    await store.append(a, [ev('AssignmentMarked', { mark: 48 }), ev('X')], 'no_stream');
    await store.append(b, [ev('Y')], 'no_stream');
    await store.append(a, [ev('Z')], 1n);
    await store.close();
    return { a, b };
  }

  it('refuses UPDATE and DELETE of events through SQL', async () => {
    await seed();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE events SET data = '{}' WHERE position = 1").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM events WHERE position = 1').run()).toThrow(/immutable/);
    db.close();
  });

  it("verify names the stream and revision of a row altered behind the store's back", async () => {
    const { a } = await seed();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_are_immutable_update');
    db.prepare(`UPDATE events SET data = '{"mark":68}' WHERE stream_id = ? AND revision = 0`).run(a);
    db.close();
    const store = new SqliteEventStore({ path });
    const report = await store.verify();
    await store.close();
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ streamId: a, revision: 0n, position: 1n });
    expect(report.broken!.reason).toMatch(/altered/);
  });

  it('verify catches a whitespace-only edit, because it hashes the stored bytes', async () => {
    const { a } = await seed();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_are_immutable_update');
    db.prepare(`UPDATE events SET data = '{"mark": 48}' WHERE stream_id = ? AND revision = 0`).run(a);
    db.close();
    const store = new SqliteEventStore({ path });
    expect((await store.verify()).broken).toMatchObject({ streamId: a, revision: 0n });
    await store.close();
  });

  it('verify reports removed events, in the middle or at the end of the log', async () => {
    const { b } = await seed();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_are_immutable_delete');
    db.prepare('DELETE FROM events WHERE stream_id = ?').run(b);
    db.close();
    let store = new SqliteEventStore({ path });
    let report = await store.verify();
    await store.close();
    expect(report.ok).toBe(false);
    expect(report.broken!.reason).toMatch(/positions jump from 2 to 4/);

    const db2 = new Database(path);
    db2.exec('DROP TRIGGER IF EXISTS events_are_immutable_delete');
    db2.prepare('DELETE FROM events WHERE position >= 2').run();
    db2.close();
    store = new SqliteEventStore({ path });
    report = await store.verify();
    await store.close();
    expect(report.broken!.reason).toMatch(/newest events were removed/);
  });
});

describe('tamper evidence in the memory store', () => {
  it('verify finds an altered event', async () => {
    const store = new MemoryEventStore();
    const s = streamName();
    await store.append(s, [ev('A', { mark: 40 }), ev('B')], 'no_stream');
    expect((await store.verify()).ok).toBe(true);
    store.unsafeStoredEvents()[1]!.metadata.actor.id = 'someone-else';
    const report = await store.verify();
    expect(report.broken).toMatchObject({ streamId: s, revision: 1n });
  });
});
