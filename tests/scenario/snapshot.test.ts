import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eligibility, liveProjections } from '../../projections/index.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { LiveProjections } from '../../src/app/live-projections.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { loadSnapshot } from '../../src/app/snapshot.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';

describe('projection snapshots', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-snapshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (db = 'ledger.db') =>
    new Ledger({
      store: new SqliteEventStore({ path: join(dir, db) }),
      keys: new SqliteKeyStore(join(dir, 'keys.db')),
      reference: loadReferenceData(),
      snapshotPath: join(dir, 'projections.snapshot'),
    });

  it('a restart resumes from its checkpoint, applies only what came after, and equals a full rebuild', async () => {
    const first = open();
    expect((await first.start()).snapshot).toEqual({ loaded: false, reason: 'no snapshot yet' });
    await loadDemo(first);
    const checkpoint = first.projections.checkpoint;
    await first.stop(); // saves the snapshot

    // Another writer appends while the server is down.
    const writer = open();
    await writer.start({ follow: false });
    const id = writer.queries.studentIds('bpn-2024-spring-bristol')[2]!;
    await writer.execute(
      id,
      'grantExtension',
      { timeLimit: 'outcomes', newDeadline: '2026-01-31', reason: 'Illness, evidence on file' },
      { actor: staff.registry },
    );
    await writer.runner.stop();
    await writer.store.close();

    const second = open();
    const { applied, snapshot } = await second.start();
    expect(snapshot).toEqual({ loaded: true, checkpoint, eventsApplied: Number(checkpoint) });
    expect(applied).toBe(1);
    const rebuilt = new LiveProjections(second.reference);
    for (const e of await second.store.readAll()) rebuilt.apply(e);
    for (const projection of liveProjections)
      expect(second.projections.state(projection), projection.name).toEqual(rebuilt.state(projection));
    expect(second.queries.record(id).extensions.outcomes?.newDeadline).toBe('2026-01-31');
    await second.stop();
  });

  it('ignores a snapshot that was not made from this log', async () => {
    const first = open();
    await first.start();
    await loadDemo(first);
    await first.stop();
    const other = open('other.db');
    const { snapshot } = await other.start();
    expect(snapshot).toEqual({ loaded: false, reason: 'snapshot was not made from this log' });
    expect(other.queries.studentIds()).toEqual([]);
    await other.stop();
  });

  it('ignores a snapshot made by another version of a projection: its format is the registry', async () => {
    const first = open();
    await first.start();
    await loadDemo(first);
    await first.stop();
    const store = new SqliteEventStore({ path: join(dir, 'ledger.db') });
    const path = join(dir, 'projections.snapshot');
    const bumped = liveProjections.map((p) => (p === eligibility ? { ...p, version: p.version + 1 } : p));
    const stale = new LiveProjections(loadReferenceData(), bumped);
    expect(await loadSnapshot(path, stale, store)).toEqual({
      loaded: false,
      reason: expect.stringContaining('eligibility@2'),
    });
    expect(stale.checkpoint).toBe(0n);
    const same = new LiveProjections(loadReferenceData());
    expect(await loadSnapshot(path, same, store)).toMatchObject({ loaded: true });
    await store.close();
  });
});
