import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReadModelDb } from '../../src/store/read-model-db.ts';

// A rebuild's write-ahead log copied into the file by a worker thread (ReadModelDb.checkpointAside):
// while it runs, the rebuild's own connection never checkpoints below 256 MB, yet the file fills;
// once stopped, SQLite's default comes back, and every row reads back as written.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-checkpointer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('copies the log into the file on another thread while a rebuild writes, then gives the checkpoint back', async () => {
  const path = join(dir, 'read-models.db');
  const db = new ReadModelDb(path);
  const generation = db.create('digest', [{ name: 'states', columns: [] }], 'building');
  const before = statSync(path).size;
  const stop = db.checkpointAside(5);
  expect(db.db.pragma('wal_autocheckpoint', { simple: true })).toBe(65_536);
  const state = (i: number) => Buffer.alloc(40_000, i % 251);
  let checkpoint = 0n;
  for (let batch = 0; batch < 10; batch++) {
    const rows = Array.from({ length: 10 }, (_, j) => {
      const i = batch * 10 + j;
      return { table: 'states', key: `k${i}`, state: state(i), values: [] };
    });
    const next = { checkpoint: checkpoint + 10n, events: Number(checkpoint) + 10, mark: null };
    expect(db.commit(generation, checkpoint, next, rows).outcome).toBe('committed');
    checkpoint = next.checkpoint;
  }
  // 4 MB went to the log: far below this connection's own threshold, so only the worker fills the file
  await expect
    .poll(() => statSync(path).size - before, { timeout: 10_000, interval: 20 })
    .toBeGreaterThan(4_000_000);
  await stop();
  expect(db.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  for (let i = 0; i < 100; i++) expect(db.read(generation.id, 'states', `k${i}`)).toEqual(state(i));
  expect(db.generation(generation.id)!.checkpoint).toBe(100n);
  db.close();
});

it('is stopped by closing the database, and a closed one is not written to', async () => {
  const path = join(dir, 'read-models.db');
  const db = new ReadModelDb(path);
  const stop = db.checkpointAside(5);
  db.close();
  await stop();
  expect(db.db.open).toBe(false);
});
