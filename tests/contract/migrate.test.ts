import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { LedgerError } from '../../src/errors.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { migrateToEventStore } from '../../src/store/migrate.ts';
import type { EventStore, RecordedEvent } from '../../src/store/port.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { testLedger } from '../support/ledger.ts';
import { ev, streamName } from './store-contract.ts';

// Moving a ledger from SQLite to EventStoreDB, tested against the PROTOCOL TEST DOUBLE (not
// EventStoreDB) through the real client: the copy keeps order, ids, metadata, recorded-at and hashes,
// is verified, can be resumed, and refuses what it cannot prove.

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

function sqliteStore(clock?: () => Date): SqliteEventStore {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-migrate-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), clock });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

async function eventStoreDb() {
  const double = await EsdbProtocolDouble.start();
  const store = new EventStoreDbStore({ connectionString: double.connectionString });
  cleanups.push(async () => {
    await store.close();
    await double.stop();
  });
  return { double, store };
}

/** Interleaved streams, a batch, unicode and a few clock steps: a small log with every kind of detail. */
async function smallLog(store: EventStore, clock: { now: Date }): Promise<void> {
  const a = streamName();
  const b = streamName('cohort');
  await store.append(a, [ev('Registered', { name: 'Siân Ní Bhriain 👩🏽‍🏫' })], 'no_stream');
  clock.now = new Date('2025-03-02T10:00:00Z');
  await store.append(
    b,
    [ev('CohortOpened', { places: 30 }), ev('ModuleScheduled', { module: 1 })],
    'no_stream',
  );
  await store.append(a, [{ ...ev('AssignmentMarked', { mark: 62 }), schemaVersion: 2 }], 0n);
  clock.now = new Date('2025-03-03T10:00:00Z');
  await store.append(b, [ev('ModuleScheduled', { module: 2, note: 'quote " backslash \\ newline \n' })], 1n);
}

const identity = (e: RecordedEvent) => ({
  eventId: e.eventId,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  recordedAt: e.recordedAt,
  hash: e.hash,
});

function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'position')
      .map(([key, v]) => [key, withoutPositions(v)]),
  );
}

describe('migrating a SQLite ledger into EventStoreDB', () => {
  it('copies every event in order with its id, metadata, recorded-at and hash, and verifies the copy', async () => {
    const clock = { now: new Date('2025-03-01T10:00:00Z') };
    const source = sqliteStore(() => clock.now);
    await smallLog(source, clock);
    const { store: target } = await eventStoreDb();
    const progress: number[] = [];

    const result = await migrateToEventStore(source, target, (n) => progress.push(n));

    const [from, to] = [await source.readAll(), await target.readAll()];
    expect(to.map(identity)).toEqual(from.map(identity));
    expect(result).toMatchObject({ events: 5, streams: 2, copied: 5, skipped: 0 });
    expect(result.headDigest).toBe((await source.verify()).headDigest);
    expect(progress[progress.length - 1]).toBe(5);
  });

  it('a demo ledger runs on the copy: the projections follow EventStoreDB and every decision is the same', async () => {
    const source = sqliteStore();
    const demo = await testLedger('2026-12-01', source);
    cleanups.push(() => demo.ledger.runner.stop());
    await loadDemo(demo.ledger);
    const { store: target } = await eventStoreDb();

    const result = await migrateToEventStore(source, target);
    expect(result.events).toBe(Number(await source.headPosition()));

    const copy = new Ledger({
      store: target,
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
      clock: () => new Date('2024-12-01T10:00:00Z'),
    });
    await copy.start();
    cleanups.push(() => copy.runner.stop());
    const students = demo.ledger.queries.studentIds();
    expect(students.length).toBeGreaterThan(10);
    // Positions differ (EventStoreDB's are log offsets); everything else in a decision is the same.
    for (const id of students) {
      expect(withoutPositions(copy.queries.decision(id, '2024-12-01'))).toEqual(
        withoutPositions(demo.ledger.queries.decision(id, '2024-12-01')),
      );
    }
  });

  it('an interrupted migration is run again: what was copied is skipped, the rest is copied', async () => {
    const clock = { now: new Date('2025-03-01T10:00:00Z') };
    const source = sqliteStore(() => clock.now);
    await smallLog(source, clock);
    const { store: target } = await eventStoreDb();
    await target.importRecorded((await source.readAll()).slice(0, 2));

    const result = await migrateToEventStore(source, target);

    expect(result).toMatchObject({ events: 5, copied: 3, skipped: 2 });
    expect((await target.readAll()).map(identity)).toEqual((await source.readAll()).map(identity));
  });

  it('refuses a source that fails verification, and copies nothing', async () => {
    const source = new MemoryEventStore();
    await source.append(streamName(), [ev('A', { mark: 40 })], 'no_stream');
    source.unsafeStoredEvents()[0]!.dataJson = JSON.stringify({ mark: 70 });
    const { store: target } = await eventStoreDb();

    const error = await migrateToEventStore(source, target).catch((e) => e);

    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe('migration_not_verified');
    expect(await target.headPosition()).toBe(0n);
  });

  it('refuses an event that does not continue the chain it lands on', async () => {
    const source = new MemoryEventStore();
    const s = streamName();
    await source.append(s, [ev('A'), ev('B')], 'no_stream');
    const { store: target } = await eventStoreDb();
    const [, second] = await source.readAll();

    const error = await target.importRecorded([second!]).catch((e) => e);

    expect(error).toBeInstanceOf(LedgerError);
    expect(error.code).toBe('import_breaks_chain');
    expect(await target.readStream(s)).toEqual([]);
  });

  it('refuses a target that already holds a different log', async () => {
    const source = new MemoryEventStore();
    await source.append(streamName(), [ev('A')], 'no_stream');
    const { store: target } = await eventStoreDb();
    await target.append(streamName(), [ev('SomethingElse')], 'no_stream');

    const error = await migrateToEventStore(source, target).catch((e) => e);

    expect(error).toBeInstanceOf(LedgerError);
    expect(error.message).toMatch(/events|streams|digest/);
  });
});
