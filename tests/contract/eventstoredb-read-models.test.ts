import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { ReadModelDb } from '../../src/store/read-model-db.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { rebuiltFromZero } from '../support/read-models.ts';

// Two ledger instances on one EventStoreDB log (here the PROTOCOL TEST DOUBLE, not EventStoreDB), each with
// its own read-model file, each following $all from its own checkpoint: both serve reads side by side and
// see each other's writes; one stopped and started again resumes from its checkpoint (an $all commit
// position) and applies only what the other wrote meanwhile, ending equal to a rebuild from zero.

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

const extend = (ledger: Ledger, id: string, newDeadline: string) =>
  ledger.execute(
    id,
    'grantExtension',
    { timeLimit: 'outcomes', newDeadline, reason: 'Illness, evidence on file' },
    { actor: staff.registry },
  );

describe('read models on EventStoreDB', () => {
  it('two instances, each with its own read-model file, serve reads side by side and resume from their checkpoints', async () => {
    const double = await EsdbProtocolDouble.start();
    cleanups.push(() => double.stop());
    const dir = mkdtempSync(join(tmpdir(), 'ledger-esdb-read-models-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const reference = loadReferenceData();
    const clock = () => new Date('2026-12-01T10:00:00Z');
    const instance = (name: string) => {
      const ledger = new Ledger({
        store: new EventStoreDbStore({ connectionString: double.connectionString }),
        keys: new SqliteKeyStore(join(dir, 'keys.db')),
        reference,
        clock,
        readModels: join(dir, `${name}-read-models.db`),
      });
      let stopped = false;
      cleanups.push(() => (stopped ? undefined : ledger.stop()));
      return {
        ledger,
        stop: async () => {
          stopped = true;
          await ledger.stop();
        },
      };
    };

    const a = instance('a');
    const b = instance('b');
    await a.ledger.start();
    await b.ledger.start();
    await loadDemo(a.ledger);
    const head = await a.ledger.store.headPosition();
    // $all commit positions, not a count of events
    expect(head).toBeGreaterThan(BigInt(a.ledger.projections.eventsApplied));
    await expect.poll(() => b.ledger.projections.checkpoint, { timeout: 10_000 }).toBe(head);

    // reads side by side: the same students and the same decisions from either instance
    const ids = a.ledger.queries.studentIds();
    expect(ids.length).toBeGreaterThan(10);
    expect(b.ledger.queries.studentIds()).toEqual(ids);
    for (const id of ids) expect(b.ledger.queries.decision(id)).toEqual(a.ledger.queries.decision(id));
    expect(b.ledger.queries.cohortSummaries()).toEqual(a.ledger.queries.cohortSummaries());

    // a write through one is read from the other
    const written = await extend(b.ledger, ids[0]!, '2026-01-31');
    await a.ledger.runner.waitFor(written.position);
    expect(a.ledger.queries.record(ids[0]!).extensions.outcomes?.newDeadline).toBe('2026-01-31');

    // B stops; A writes on; B starts again on its own file
    await expect.poll(() => b.ledger.projections.checkpoint).toBe(written.position);
    await b.stop();
    const later = await extend(a.ledger, ids[1]!, '2026-02-28');
    const again = instance('b');
    const started = await again.ledger.start();
    expect(started).toEqual({ applied: later.events.length, resumedFrom: written.position, notUsed: null });
    expect(again.ledger.queries.record(ids[1]!).extensions.outcomes?.newDeadline).toBe('2026-02-28');

    // each file holds one live generation at its instance's checkpoint, and equals a rebuild from zero
    await a.ledger.runner.waitFor(later.position);
    const fromZero = await rebuiltFromZero(a.ledger.store, reference);
    expect(again.ledger.projections.contents()).toEqual(fromZero.contents);
    expect(a.ledger.projections.contents()).toEqual(fromZero.contents);
    await again.stop();
    await a.stop();
    for (const name of ['a', 'b']) {
      const db = new ReadModelDb(join(dir, `${name}-read-models.db`));
      expect(db.generations().map((g) => [g.state, g.checkpoint])).toEqual([['live', later.position]]);
      db.close();
    }
  }, 60_000);
});
