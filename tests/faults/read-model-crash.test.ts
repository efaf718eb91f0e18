import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { SyntheticLog } from '../../bench/generate.ts';
import { ReadModels } from '../../src/app/read-models.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { ReadModelDb } from '../../src/store/read-model-db.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { rebuiltFromZero } from '../support/read-models.ts';
import { ledgerDir, ledgerEnv, type Server, startServer, stopServer } from './support.ts';

// A real server (a child process) killed with SIGKILL while it applies events to its read models: the log
// grows under it (written by this process), and the kill comes at a moment the server has applied events
// in memory that its read-model file does not hold yet (its /ready checkpoint ahead of the file's). Started
// again and killed again, three times; after the last restart every read model, row by row and column by
// column, equals a rebuild from the first event: nothing applied twice, nothing skipped.

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The checkpoint of the live read models, as the file holds it (read from another connection). */
function storedCheckpoint(path: string): bigint {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const at = db
        .prepare("SELECT max(checkpoint) FROM read_model_generations WHERE state = 'live'")
        .pluck()
        .get() as number | null;
      return BigInt(at ?? 0);
    } finally {
      db.close();
    }
  } catch {
    return 0n; // not created yet, or locked for a moment by the server's write
  }
}

/** The position the server's read models have applied up to, in its memory. */
async function appliedInMemory(server: Server): Promise<bigint> {
  const ready = (await (await fetch(`${server.url}/ready`)).json()) as { projectionCheckpoint: string };
  return BigInt(ready.projectionCheckpoint);
}

it('a server killed mid-apply resumes from its checkpoint, and every read model equals a rebuild from zero', async () => {
  dir = ledgerDir('ledger-read-crash-');
  const env = ledgerEnv(dir);
  const readDb = env.LEDGER_READ_DB!;
  const store = new SqliteEventStore({ path: env.LEDGER_DB!, synchronous: 'normal' });
  const source = new SyntheticLog(loadReferenceData()).appends({});
  const appendStudent = async () => {
    for (;;) {
      const next = source.next().value!;
      await store.append(next.streamId, next.events, next.expectedRevision);
      if (next.streamId.startsWith('student-')) return;
    }
  };
  // a log to catch up on at the first start
  for (let i = 0; i < 60; i++) await appendStudent();

  const kills: { applied: bigint; stored: bigint }[] = [];
  for (let round = 0; round < 3; round++) {
    const server = await startServer(env);
    let writing = true;
    // the log keeps growing while the server follows it
    const writer = (async () => {
      while (writing) {
        await appendStudent();
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const from = storedCheckpoint(readDb);
    // wait until the server has written once in this round, then until it holds applied events unwritten
    let killed: { applied: bigint; stored: bigint } | null = null;
    const deadline = Date.now() + 20_000;
    while (!killed && Date.now() < deadline) {
      const applied = await appliedInMemory(server);
      const stored = storedCheckpoint(readDb);
      if (stored > from && applied > stored) {
        server.child.kill('SIGKILL');
        killed = { applied, stored };
      } else await new Promise((r) => setTimeout(r, 5));
    }
    await stopServer(server.child, 'SIGKILL');
    writing = false;
    await writer;
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(killed, `round ${round}: the server never held applied events unwritten`).not.toBeNull();
    kills.push(killed!);
  }
  // each kill lost events the server had applied: the restart must apply them again, once
  for (const k of kills) expect(k.applied).toBeGreaterThan(k.stored);

  const head = await store.headPosition();
  const server = await startServer(env);
  await expect.poll(() => storedCheckpoint(readDb), { timeout: 20_000, interval: 50 }).toBe(head);
  await stopServer(server.child);

  const reference = loadReferenceData();
  const resumed = new ReadModels(reference, new ReadModelDb(readDb));
  expect(resumed.open().resumed).toBe(true);
  const rebuilt = await rebuiltFromZero(store, reference);
  expect(resumed.checkpoint).toBe(rebuilt.checkpoint);
  expect(resumed.eventsApplied).toBe(rebuilt.eventsApplied);
  expect(resumed.contents()).toEqual(rebuilt.contents);
  resumed.db.close();
  await store.close();
}, 90_000);
