import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { checkAnchors, verifyAnchored } from '../../src/store/anchor.ts';
import { buildBatch } from '../../src/store/append-rules.ts';
import { CheckpointBook } from '../../src/store/checkpoints.ts';
import { digestLog } from '../../src/store/log-digest.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore } from '../../src/store/port.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { deleteStreamAndRenumber, dropNewest, rechainEditedEvent } from '../support/attacks.ts';
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

describe('hash format v2: the position is hashed', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-v2-'));
    path = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verify catches a stream deleted and the log renumbered without re-hashing', async () => {
    const store = new SqliteEventStore({ path });
    const a = streamName();
    const b = streamName();
    await store.append(a, [ev('A1'), ev('A2')], 'no_stream');
    await store.append(b, [ev('B1')], 'no_stream');
    await store.append(a, [ev('A3')], 1n);
    await store.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_are_immutable_delete; DROP TRIGGER events_are_immutable_update');
    db.prepare('DELETE FROM events WHERE stream_id = ?').run(b);
    db.prepare('UPDATE events SET position = 3 WHERE position = 4').run();
    db.prepare("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'events'").run();
    db.close();
    const reopened = new SqliteEventStore({ path });
    const report = await reopened.verify();
    await reopened.close();
    // Positions are dense again and every stream chain holds: only the hashed position tells.
    expect(report.broken).toMatchObject({ streamId: a, revision: 2n, position: 3n });
    expect(report.broken!.reason).toMatch(/does not match its hash/);
  });

  it('events written in v1 before this version keep verifying, and new events are v2 after them', async () => {
    // A log as the previous version wrote it: v1 hashes, no position in them.
    const old = new SqliteEventStore({ path });
    await old.close();
    const db = new Database(path);
    const s = streamName();
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const b of buildBatch(s, [ev('Old1'), ev('Old2')], null, '2024-01-01T00:00:00.000Z')) {
      const m = b.event.metadata;
      const meta = JSON.stringify([m.actor.id, m.actor.role, m.occurredAt, m.correlationId, m.causationId]);
      insert.run(s, b.revision, b.event.eventId, b.event.type, 1, b.dataJson, meta, b.recordedAt, b.hash);
    }
    db.close();
    const store = new SqliteEventStore({ path });
    await store.append(s, [ev('New1')], 1n);
    const t = streamName();
    await store.append(t, [ev('New2')], 'no_stream');
    const events = await store.readAll();
    expect(events.map((e) => e.hash.slice(0, 3))).toEqual([
      expect.not.stringMatching(/^v2:/),
      expect.not.stringMatching(/^v2:/),
      'v2:',
      'v2:',
    ]);
    expect((await store.verify()).ok).toBe(true);
    await store.close();

    // Re-hashing a v2 event in v1 (to drop its position) is caught once a v2 event comes before it. (A
    // whole log re-hashed, in either format, is caught only by a signed checkpoint: see below.)
    const db2 = new Database(path);
    db2.exec('DROP TRIGGER events_are_immutable_update');
    const e = events[3]!;
    const original = {
      eventId: e.eventId,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: e.metadata,
    };
    const [row] = buildBatch(t, [original], null, e.recordedAt);
    db2.prepare('UPDATE events SET hash = ? WHERE position = 4').run(row!.hash);
    db2.close();
    const again = new SqliteEventStore({ path });
    expect((await again.verify()).broken!.reason).toMatch(/older v1 format after events in v2/);
    await again.close();
  });
});

describe('signed checkpoints catch what a re-hashed log hides', () => {
  let dir: string;
  let path: string;
  let keys: SqliteKeyStore;
  let book: CheckpointBook;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-anchor-'));
    path = join(dir, 'ledger.db');
    keys = new SqliteKeyStore(join(dir, 'keys.db'));
    book = new CheckpointBook(join(dir, 'checkpoints'), keys, 'sqlite');
  });
  afterEach(() => {
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Three streams, a checkpoint over them as the server writes one, then a later event. */
  async function seedAndAnchor() {
    const store = new SqliteEventStore({ path });
    const [a, b, c] = [streamName(), streamName(), streamName()];
    await store.append(a, [ev('AssignmentMarked', { mark: 48 }), ev('X')], 'no_stream');
    await store.append(b, [ev('Y'), ev('Y2')], 'no_stream');
    await store.append(c, [ev('Z')], 'no_stream');
    await store.append(a, [ev('W')], 1n);
    const found = await checkAnchors(store, book);
    const checkpoint = book.write(
      { count: found.running.count, position: found.running.position, digest: found.digest },
      'regular',
    );
    await store.append(c, [ev('After')], 0n);
    await store.close();
    return { a, b, c, checkpoint };
  }

  /** The hash chain alone says ok (as verify did before checkpoints); the start-up check and verify refuse. */
  async function expectCaught(pattern: RegExp, checkpointFile: string) {
    const store = new SqliteEventStore({ path });
    try {
      expect((await store.verify()).ok).toBe(true);
      const atStart = await checkAnchors(store, book);
      expect(atStart.ok).toBe(false);
      expect(atStart.problem).toContain(checkpointFile);
      expect(atStart.problem).toMatch(pattern);
      const report = await verifyAnchored(store, book);
      expect(report.ok).toBe(false);
      expect(report.checkpoints!.problem).toBe(atStart.problem);
    } finally {
      await store.close();
    }
  }

  it('an untouched log matches its checkpoint, and one appended to since still does', async () => {
    const { checkpoint } = await seedAndAnchor();
    const store = new SqliteEventStore({ path });
    const found = await checkAnchors(store, book);
    await store.close();
    expect(found).toMatchObject({ ok: true, events: 7, checkpoints: 1, problem: null });
    expect(found.matched!.source).toBe(checkpoint.source);
  });

  it("computes the same digest from the SQLite store's lines as from its events (the generic walk)", async () => {
    await seedAndAnchor();
    const store = new SqliteEventStore({ path });
    const generic = { readAll: store.readAll.bind(store), pageSize: 2 } as unknown as EventStore;
    const counts = [1, 3, 7];
    const seen = (s: EventStore) => {
      const at: string[] = [];
      return digestLog(s, counts, (count, digest) => at.push(`${count}:${digest}`)).then((d) => [
        ...at,
        d.digest(),
      ]);
    };
    expect(await seen(store)).toEqual(await seen(generic));
    await store.close();
  });

  it('catches a stream edited and re-chained', async () => {
    const { checkpoint } = await seedAndAnchor();
    rechainEditedEvent(path, 1, { mark: 68 });
    await expectCaught(/first 6 events hash to another digest/, checkpoint.source);
  });

  it('catches the newest events dropped and the sequence reset', async () => {
    const { checkpoint } = await seedAndAnchor();
    dropNewest(path, 3);
    await expectCaught(/the log is shorter than .*it holds 4 events/, checkpoint.source);
  });

  it('catches a stream deleted and the log renumbered and re-hashed', async () => {
    const { b, checkpoint } = await seedAndAnchor();
    deleteStreamAndRenumber(path, b);
    await expectCaught(/the log is shorter than .*it holds 5 events/, checkpoint.source);
  });

  it('catches the log file replaced by an empty one', async () => {
    const { checkpoint } = await seedAndAnchor();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    await expectCaught(/it holds 0 events/, checkpoint.source);
  });

  it('catches a checkpoint forged with another key, or its file edited', async () => {
    const { checkpoint } = await seedAndAnchor();
    const file = join(dir, 'checkpoints', checkpoint.source);
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...edited, count: 2 }));
    const store = new SqliteEventStore({ path });
    const found = await checkAnchors(store, book);
    await store.close();
    expect(found.problem).toMatch(
      new RegExp(`${checkpoint.source} is not signed by this ledger's checkpoint key`),
    );
  });

  it('still anchors the log when the checkpoint files are removed: the keys database keeps a copy', async () => {
    await seedAndAnchor();
    rmSync(join(dir, 'checkpoints'), { recursive: true });
    dropNewest(path, 3);
    const store = new SqliteEventStore({ path });
    const found = await checkAnchors(store, book);
    await store.close();
    expect(found.problem).toMatch(/shorter than checkpoint keys database/);
  });
});

describe('a checkpoint kept elsewhere', () => {
  it('catches a log re-anchored by an attacker who could also write the checkpoints and read the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-elsewhere-'));
    const path = join(dir, 'ledger.db');
    const keys = new SqliteKeyStore(join(dir, 'keys.db'));
    const book = new CheckpointBook(join(dir, 'checkpoints'), keys, 'sqlite');
    try {
      const store = new SqliteEventStore({ path });
      const s = streamName();
      await store.append(s, [ev('A'), ev('B'), ev('C')], 'no_stream');
      const found = await checkAnchors(store, book);
      const saved = book.write({ count: 3, position: 3n, digest: found.digest }, 'exam board b-1 (cohort-x)');
      // The copy printed with the board's minutes, out of the attacker's reach.
      const minutes = join(dir, 'minutes-copy.json');
      writeFileSync(minutes, readFileSync(join(dir, 'checkpoints', saved.source)));
      await store.close();

      // The attacker drops an event, removes every checkpoint and signs a new one for the forged log.
      dropNewest(path, 1);
      rmSync(join(dir, 'checkpoints'), { recursive: true });
      const raw = new Database(join(dir, 'keys.db'));
      raw.exec('DELETE FROM checkpoints');
      raw.close();
      const forged = new SqliteEventStore({ path });
      const again = await checkAnchors(forged, book);
      book.write(
        { count: again.running.count, position: again.running.position, digest: again.digest },
        'regular',
      );
      expect((await checkAnchors(forged, book)).ok).toBe(true);

      const report = await verifyAnchored(forged, book, { elsewhere: [minutes] });
      await forged.close();
      expect(report.ok).toBe(false);
      expect(report.checkpoints!.problem).toMatch(
        /the log is shorter than checkpoint .*minutes-copy\.json \(3 events/,
      );
    } finally {
      keys.close();
      rmSync(dir, { recursive: true, force: true });
    }
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
