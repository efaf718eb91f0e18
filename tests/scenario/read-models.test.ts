import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eligibility, liveProjections, students } from '../../projections/index.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { ReadModels } from '../../src/app/read-models.ts';
import { rebuildReadModels } from '../../src/app/rebuild.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { ReadModelDb } from '../../src/store/read-model-db.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { rebuiltFromZero } from '../support/read-models.ts';

describe('read models on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-read-models-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (
    db = 'ledger.db',
    read = 'read-models.db',
    readModelOptions?: { cacheEntries: number; flushAfter: number },
  ) =>
    new Ledger({
      store: new SqliteEventStore({ path: join(dir, db) }),
      keys: new SqliteKeyStore(join(dir, 'keys.db')),
      reference: loadReferenceData(),
      readModels: join(dir, read),
      readModelOptions,
    });

  const extend = (ledger: Ledger, id: string) =>
    ledger.execute(
      id,
      'grantExtension',
      { timeLimit: 'outcomes', newDeadline: '2026-01-31', reason: 'Illness, evidence on file' },
      { actor: staff.registry },
    );

  it('a restart resumes from its checkpoint, applies only what came after, and equals a rebuild from zero', async () => {
    const first = open();
    expect(await first.start()).toEqual({ applied: 0, resumedFrom: null, notUsed: null });
    await loadDemo(first);
    const checkpoint = first.projections.checkpoint;
    await first.stop(); // writes what changed since the last flush

    // Another writer appends while the server is down (it keeps read models of its own).
    const writer = open('ledger.db', 'writer-read-models.db');
    await writer.start({ follow: false });
    const id = writer.queries.studentIds('bpn-2024-spring-bristol')[2]!;
    await extend(writer, id);
    await writer.stop();

    const second = open();
    const started = await second.start();
    expect(started).toEqual({ applied: 1, resumedFrom: checkpoint, notUsed: null });
    const rebuilt = await rebuiltFromZero(second.store, second.reference);
    expect(second.projections.checkpoint).toBe(rebuilt.checkpoint);
    expect(second.projections.contents()).toEqual(rebuilt.contents);
    expect(second.queries.record(id).extensions.outcomes?.newDeadline).toBe('2026-01-31');
    await second.stop();
  });

  it('keeps in memory only the states being worked on, and reads the rest from the database', async () => {
    const ledger = open('ledger.db', 'read-models.db', { cacheEntries: 3, flushAfter: 5 });
    await ledger.start();
    await loadDemo(ledger);
    const ids = ledger.queries.studentIds();
    expect(ids.length).toBe(20);
    // each record read back from its row equals a fold of the student's own stream
    for (const id of ids) expect(ledger.queries.record(id).revision).toBeGreaterThanOrEqual(0n);
    expect(ledger.projections.cached()).toBeLessThanOrEqual(3 * liveProjections.length);
    const rebuilt = await rebuiltFromZero(ledger.store, ledger.reference);
    expect(ledger.projections.contents()).toEqual(rebuilt.contents);
    await ledger.stop();
  });

  it('a record read by a query is decoded for it and not kept: only the states events change stay in memory', async () => {
    const ledger = open('ledger.db', 'read-models.db', { cacheEntries: 50, flushAfter: 5 });
    await ledger.start();
    await loadDemo(ledger);
    await ledger.stop();
    // a fresh start holds nothing in memory; twenty decisions read twenty records from disk
    const again = open('ledger.db', 'read-models.db', { cacheEntries: 50, flushAfter: 5 });
    await again.start();
    const before = again.projections.cached();
    const ids = again.queries.studentIds();
    for (const id of ids) expect(again.queries.decision(id, '2026-06-01')).not.toBeNull();
    expect(again.projections.cached()).toBe(before);
    // read again, a record is kept; the decision from it is the one read from disk gave
    const first = ids[0]!;
    const fromDisk = again.queries.decision(first, '2026-06-01');
    expect(again.projections.cached()).toBe(before + 1);
    expect(again.queries.decision(first, '2026-06-01')?.digest).toBe(fromDisk?.digest);
    expect(again.projections.cached()).toBe(before + 1);
    await again.stop();
  });

  it('a history (as-of, step by step) asks only whether the student exists: no record read from disk', async () => {
    const ledger = open('ledger.db', 'read-models.db', { cacheEntries: 1, flushAfter: 5 });
    await ledger.start();
    await loadDemo(ledger);
    ledger.projections.flush();
    const ids = ledger.queries.studentIds();
    const db = ledger.projections.db;
    const read = db.read.bind(db);
    let rowsRead = 0;
    db.read = (...args) => {
      rowsRead++;
      return read(...args);
    };
    for (const id of ids) {
      expect(ledger.projections.has(students, `student-${id}`)).toBe(true);
      const events = await ledger.queries.streamEvents(id);
      expect(events.length).toBeGreaterThan(0);
    }
    expect(rowsRead).toBe(0);
    const missing = '0190aaaa-0000-7000-8000-000000000000';
    expect(ledger.projections.has(students, `student-${missing}`)).toBe(false);
    await expect(ledger.queries.replay(missing)).rejects.toMatchObject({ code: 'unknown_student' });
    await ledger.stop();
  });

  it('read models made from another log are not used: they are built anew', async () => {
    const first = open();
    await first.start();
    await loadDemo(first);
    await first.stop();
    const other = open('other.db');
    const started = await other.start();
    expect(started.notUsed).toMatch(/which this log does not hold/);
    expect(other.queries.studentIds()).toEqual([]);
    await other.stop();
  });

  it('a new version of a projection is built beside the old read models, which stay as they were', async () => {
    const first = open();
    await first.start();
    await loadDemo(first);
    await first.stop();
    const db = new ReadModelDb(join(dir, 'read-models.db'));
    const bumped = liveProjections.map((p) => (p === eligibility ? { ...p, version: p.version + 1 } : p));
    const current = new ReadModels(loadReferenceData(), db);
    const next = new ReadModels(loadReferenceData(), db, bumped);
    expect(next.digest).not.toBe(current.digest);
    expect(current.open().resumed).toBe(true);
    expect(next.open().resumed).toBe(false); // nothing of its own yet: built from the first event
    expect(next.checkpoint).toBe(0n);
    expect(db.generations().map((g) => [g.digest, g.state])).toEqual([
      [current.digest, 'live'],
      [next.digest, 'live'],
    ]);
    db.close();
  });

  it('a rebuild runs beside the live read models, which keep answering, then the server moves to it', async () => {
    const server = open();
    await server.start();
    await loadDemo(server);
    const before = server.projections.current.id;
    const id = server.queries.studentIds('bpn-2024-spring-bristol')[2]!;

    // `ledger rebuild` in another process: its own connection to the same read-model file
    const cli = open();
    const progress: number[] = [];
    const started = performance.now();
    const rebuilt = await rebuildReadModels(cli, (n) => progress.push(n));
    const elapsed = performance.now() - started;
    expect(rebuilt.applied).toBe(Number(await cli.store.headPosition()));
    // where its time went: every part was spent, and the parts add up to no more than the whole
    const parts = Object.values(rebuilt.spent);
    for (const ms of parts) expect(ms).toBeGreaterThan(0);
    expect(parts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(elapsed);
    expect(progress.at(-1)).toBe(rebuilt.applied);
    expect(rebuilt.replaced?.id).toBe(before);
    expect(rebuilt.students).toBe(20);
    // the server still answers from the generation it had
    expect(server.projections.current.id).toBe(before);
    expect(server.queries.record(id).revision).toBeGreaterThan(0n);
    await cli.stop();

    // the server notices within its poll, moves over and follows the log from the new checkpoint
    await expect.poll(() => server.projections.current.id, { timeout: 8000 }).toBe(rebuilt.generation.id);
    await extend(server, id);
    expect(server.queries.record(id).extensions.outcomes?.newDeadline).toBe('2026-01-31');
    const fromZero = await rebuiltFromZero(server.store, server.reference);
    expect(server.projections.contents()).toEqual(fromZero.contents);
    await server.stop();
  }, 20_000);
});
