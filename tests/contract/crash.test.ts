import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps every acknowledged append when the writer is killed with SIGKILL mid-stream', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  const path = join(dir, 'ledger.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/crash-writer.ts', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acks: { stream: string; revision: bigint; ids: string[] }[] = [];
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const [word, stream, revision, ids] = line.split(' ');
        if (word === 'ack') acks.push({ stream: stream!, revision: BigInt(revision!), ids: ids!.split(',') });
        // Kill it while it is busy appending, well into the run.
        if (acks.length === 1500) child.kill('SIGKILL');
        nl = buffer.indexOf('\n');
      }
    });
    child.on('exit', () => resolve());
  });
  expect(child.signalCode).toBe('SIGKILL');
  expect(acks.length).toBeGreaterThanOrEqual(1500);

  const store = new SqliteEventStore({ path });
  const report = await store.verify();
  expect(report.ok).toBe(true);
  const all = await store.readAll();
  const ids = new Set(all.map((e) => e.eventId));
  for (const ack of acks) for (const id of ack.ids) expect(ids.has(id)).toBe(true);
  // Nothing half-written: every batch in the log is whole (a batch's events share its "n").
  const byBatch = new Map<number, number>();
  for (const e of all) {
    const n = (e.data as { n: number }).n;
    byBatch.set(n, (byBatch.get(n) ?? 0) + 1);
  }
  for (const [n, count] of byBatch) expect(count).toBe(1 + (n % 4));
  await store.close();
}, 60_000);
