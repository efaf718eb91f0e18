import { afterEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { testLedger } from '../support/ledger.ts';

// The whole ledger on the EventStoreDB adapter, against the PROTOCOL TEST DOUBLE (not EventStoreDB):
// every command appends through the real client and waits until the projections, following $all
// through a catch-up subscription, have seen its position.

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

describe('the ledger on EventStoreDB', () => {
  it('loads the demo: commands append, the projections follow, the log verifies', async () => {
    const double = await EsdbProtocolDouble.start();
    cleanups.push(() => double.stop());
    const store = new EventStoreDbStore({ connectionString: double.connectionString });
    const { ledger } = await testLedger('2026-12-01', store);
    cleanups.push(() => ledger.stop());

    const loaded = await loadDemo(ledger);

    expect(loaded.students).toBeGreaterThan(10);
    expect(ledger.projections.checkpoint).toBe(await store.headPosition());
    expect(ledger.queries.studentIds()).toHaveLength(loaded.students);
    const report = await store.verify();
    expect(report.ok).toBe(true);
    expect(report.eventsChecked).toBe(ledger.projections.eventsApplied);
  });
});
