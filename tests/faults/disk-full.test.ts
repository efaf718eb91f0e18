import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { holdsDemo, loadDemoAtomically } from '../../src/demo/first-start.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { anApplication } from '../support/samples.ts';
import { diskFull, ledgerDir } from './support.ts';

// A full disk: every write is refused whole with 503, a code that says so and Retry-After; /ready turns
// not-ready while writes fail and comes back by itself once they succeed; nothing is half written. The
// log's disk is filled through the store's seam (SQLite's own size limit, which answers SQLITE_FULL as a
// full disk does), the keys' through theirs, and, when the tests run as root, a real small file system.

interface Rig {
  dir: string;
  store: SqliteEventStore;
  keys: SqliteKeyStore;
  ledger: Ledger;
  app: FastifyInstance;
  token: string;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.app.close();
    await r.ledger.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
});

async function rig(dataDir?: string): Promise<Rig> {
  const dir = ledgerDir();
  const where = dataDir ?? dir;
  const store = new SqliteEventStore({ path: join(where, 'ledger.db') });
  const keys = new SqliteKeyStore(join(where, 'keys.db'));
  const ledger = new Ledger({ store, keys, reference: loadReferenceData() });
  await ledger.start();
  const tokens = new MemoryTokenStore();
  const token = tokens.create({ id: 'registry-1', role: 'registry', label: 'test' });
  const app = await buildServer({ ledger, tokens, logLevel: 'silent' });
  const r = { dir, store, keys, ledger, app, token };
  rigs.push(r);
  return r;
}

let applicants = 0;
const apply = (r: Rig) =>
  r.app.inject({
    method: 'POST',
    url: '/students',
    headers: { authorization: `Bearer ${r.token}` },
    payload: anApplication(applicants++),
  });

/** Applications until the disk refuses one (each is a few KiB; the first refusal is what we want). */
async function applyUntilRefused(r: Rig) {
  for (let i = 0; i < 500; i++) {
    const before = await r.store.headPosition();
    const reply = await apply(r);
    if (reply.statusCode !== 201) return { reply, before };
  }
  throw new Error('the disk never filled');
}

async function expectFullThenRecovered(r: Rig, free: () => void, storage: RegExp) {
  const { reply, before } = await applyUntilRefused(r);
  expect(reply.statusCode).toBe(503);
  expect(reply.headers['retry-after']).toBe('30');
  expect(reply.json().error).toMatchObject({ kind: 'unavailable', code: 'storage_full' });
  expect(reply.json().error.message).toMatch(storage);
  // Nothing of the refused command was written.
  expect(await r.store.headPosition()).toBe(before);

  const notReady = await r.app.inject({ method: 'GET', url: '/ready' });
  expect(notReady.statusCode).toBe(503);
  expect(notReady.json()).toMatchObject({
    status: 'not-ready',
    writable: false,
    writeFailure: { code: 'storage_full' },
  });

  free();
  // No write needed: the readiness check probes the disk itself (at most once a second).
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const ready = await r.app.inject({ method: 'GET', url: '/ready' });
  expect(ready.json()).toMatchObject({ status: 'ready', writable: true });
  expect(ready.statusCode).toBe(200);
  expect((await apply(r)).statusCode).toBe(201);
}

describe('a full disk', () => {
  it('under the log: 503 storage_full with Retry-After, not ready, nothing written, then back by itself', async () => {
    const r = await rig();
    expect((await apply(r)).statusCode).toBe(201);
    r.store.capSize(r.store.pageCount() * 4096);
    await expectFullThenRecovered(r, () => r.store.capSize(null), /the event log \(LEDGER_DB=.*ledger\.db\)/);
    expect((await r.store.verify()).ok).toBe(true);
  });

  it('under the keys: an application is refused whole, its event never written', async () => {
    const r = await rig();
    r.keys.injectWriteFault(diskFull());
    const reply = await apply(r);
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe('30');
    expect(reply.json().error).toMatchObject({ code: 'storage_full' });
    expect(reply.json().error.message).toMatch(/the student keys \(LEDGER_KEYS_DB=.*keys\.db\)/);
    expect(await r.store.headPosition()).toBe(0n);
    expect((await r.app.inject({ method: 'GET', url: '/ready' })).json()).toMatchObject({
      status: 'not-ready',
      writeFailure: { code: 'storage_full' },
    });
    r.keys.injectWriteFault(null);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await r.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect((await apply(r)).statusCode).toBe(201);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)(
    'on a real 3 MiB file system (tmpfs, as root): the same answers, and back once space is freed',
    async () => {
      const mount = ledgerDir('ledger-tmpfs-');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mount]);
      } catch (error) {
        rmSync(mount, { recursive: true, force: true });
        console.warn(`skipped: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
        return;
      }
      let r: Rig | null = null;
      try {
        r = await rig(mount);
        expect((await apply(r)).statusCode).toBe(201);
        // Fill what is left of the file system.
        mkdirSync(join(mount, 'filler'));
        const fd = openSync(join(mount, 'filler', 'blob'), 'w');
        const chunk = Buffer.alloc(64 * 1024, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        } finally {
          closeSync(fd);
        }
        const filled = r;
        await expectFullThenRecovered(
          filled,
          () => rmSync(join(mount, 'filler'), { recursive: true }),
          /ledger\.db|keys\.db/,
        );
      } finally {
        if (r) {
          rigs.splice(rigs.indexOf(r), 1);
          await r.app.close();
          await r.ledger.stop();
          rmSync(r.dir, { recursive: true, force: true });
        }
        execFileSync('umount', ['-l', mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    },
    60_000,
  );
  if (!root) it.skip('on a real small file system: needs root to mount a tmpfs (CI runs as root)', () => {});
});

describe('the first-start demo on a disk that fills up', () => {
  it('is all or nothing: a full disk leaves an empty ledger, and the next start loads it whole', async () => {
    const r = await rig();
    r.store.capSize(r.store.pageCount() * 4096 + 64 * 1024);
    await expect(loadDemoAtomically(r.ledger)).rejects.toMatchObject({ code: 'storage_full' });
    expect(await r.store.headPosition()).toBe(0n);
    expect(holdsDemo(r.ledger)).toBe(false);

    r.store.capSize(null);
    const loaded = await loadDemoAtomically(r.ledger);
    expect(loaded).toEqual({ students: 20, cohorts: 7 });
    expect(holdsDemo(r.ledger)).toBe(true);
    expect(r.ledger.queries.studentIds()).toHaveLength(20);
    expect((await r.store.verify()).ok).toBe(true);
    // Every award conferred in the staging ledger reproduces at its recorded position in the real log.
    for (const id of r.ledger.queries.studentIds())
      if (r.ledger.queries.record(id).awards.length > 0)
        for (const check of await r.ledger.queries.reproduce(id)) expect(check.reproduced).toBe(true);
  });

  it('written command by command (as before), the same full disk left half a demo behind', async () => {
    const r = await rig();
    r.store.capSize(r.store.pageCount() * 4096 + 64 * 1024);
    await expect(loadDemo(r.ledger)).rejects.toBeDefined();
    expect(await r.store.headPosition()).toBeGreaterThan(0n);
  });
});
