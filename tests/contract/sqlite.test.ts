import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { describeStoreContract, ev, streamName } from './store-contract.ts';

describeStoreContract('sqlite', async ({ clock }) => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite: several writers on one file', () => {
  it('a subscription delivers every event once and in order when another process appends in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const path = join(dir, 'ledger.db');
    const here = new SqliteEventStore({ path, pollMs: 20 });
    const other = new SqliteEventStore({ path, pollMs: 20 });
    const seen: bigint[] = [];
    const sub = here.subscribeToAll({ after: 0n, onEvent: (e) => void seen.push(e.position) });
    try {
      const s = streamName();
      await here.append(s, [ev()], 'no_stream');
      // Written through another connection: this store hears nothing of it until it polls or reads.
      await other.append(s, [ev(), ev()], 0n);
      // Handed to the subscription with its wake-up, but after a gap: the log is read instead.
      await here.append(s, [ev()], 2n);
      await Promise.all([here.append(streamName(), [ev()], 'no_stream'), here.append(s, [ev()], 3n)]);
      await vi.waitFor(() => expect(seen).toHaveLength(6), { timeout: 2000 });
      expect(seen).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    } finally {
      await sub.stop();
      await here.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
