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

describe('sqlite: group commit', () => {
  it('appends that share a commit take dense positions and recorded-at that never goes back, whatever the clock and refusals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-group-'));
    // each append of a group reads the clock: an hour earlier every time
    let now = Date.parse('2025-09-01T12:00:00Z');
    const store = new SqliteEventStore({
      path: join(dir, 'ledger.db'),
      clock: () => {
        now -= 3_600_000;
        return new Date(now);
      },
    });
    try {
      const [a, b, c] = [streamName(), streamName(), streamName()];
      await store.append(a, [ev()], 'no_stream');
      const before = store.commitStats();
      const results = await Promise.allSettled([
        store.append(b, [ev(), ev()], 'no_stream'),
        store.append(a, [ev()], 7n), // refused: its savepoint is undone, the tail carried on is not its own
        store.append(c, [ev()], 'no_stream'),
        store.append(a, [ev(), ev(), ev()], 0n),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const after = store.commitStats();
      expect(after.groups - before.groups).toBe(1);
      expect(after.appends - before.appends).toBe(4);
      const log = await store.readAll();
      expect(log.map((e) => e.position)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
      for (let i = 1; i < log.length; i++) expect(log[i]!.recordedAt >= log[i - 1]!.recordedAt).toBe(true);
      expect((results[3] as PromiseFulfilledResult<{ position: bigint }>).value.position).toBe(7n);
      // the next group starts from the file's tail again
      await store.append(c, [ev()], 0n);
      expect(await store.headPosition()).toBe(8n);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
