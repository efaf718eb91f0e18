import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Env,
  ledgerDir,
  ledgerEnv,
  type Server,
  startRefused,
  startServer,
  stopServer,
} from './support.ts';

// A database file that cannot be what its variable names stops the ledger at start, with a message that
// names the variable and the file; the ledger never starts empty on a log that had events.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A ledger that ran once (the demo loaded, a checkpoint written), copied into a fresh directory per case. */
let template: string;
beforeAll(async () => {
  template = ledgerDir();
  dirs.push(template);
  const server: Server = await startServer(ledgerEnv(template, { LEDGER_DEMO: '1' }));
  await stopServer(server.child);
}, 90_000);

function copyOfTemplate(): { dir: string; env: Env } {
  const dir = ledgerDir();
  dirs.push(dir);
  execFileSync('cp', ['-a', `${template}/.`, dir]);
  return { dir, env: ledgerEnv(dir) };
}

describe('the server refuses to start on a database file that cannot be what it is named for', () => {
  it('a log truncated to zero bytes', async () => {
    const { dir, env } = copyOfTemplate();
    truncateSync(join(dir, 'ledger.db'), 0);
    rmSync(join(dir, 'ledger.db-wal'), { force: true });
    const refused = await startRefused(env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`LEDGER_DB=${join(dir, 'ledger.db')} is an empty file (0 bytes)`);
  });

  it('a log replaced by an empty database: refused by its checkpoint', async () => {
    const { dir, env } = copyOfTemplate();
    for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) rmSync(join(dir, f), { force: true });
    const refused = await startRefused(env);
    expect(refused.output).toMatch(
      /refusing to start on this log: the log is shorter than checkpoint checkpoint-\d+-.*\.json \(\d+ events/,
    );
    expect(refused.output).toMatch(/it holds 0 events/);
  });

  it('a corrupt log', async () => {
    const { dir, env } = copyOfTemplate();
    writeFileSync(join(dir, 'ledger.db'), Buffer.alloc(64 * 1024, 0x5a));
    rmSync(join(dir, 'ledger.db-wal'), { force: true });
    rmSync(join(dir, 'ledger.db-shm'), { force: true });
    const refused = await startRefused(env);
    expect(refused.output).toContain(`LEDGER_DB=${join(dir, 'ledger.db')} is not a readable SQLite database`);
  });

  it('the keys pointed at the log itself (through another name)', async () => {
    const { dir, env } = copyOfTemplate();
    symlinkSync(join(dir, 'ledger.db'), join(dir, 'also-the-log.db'));
    const refused = await startRefused({ ...env, LEDGER_KEYS_DB: join(dir, 'also-the-log.db') });
    expect(refused.output).toContain(`LEDGER_KEYS_DB=${join(dir, 'also-the-log.db')} holds an event log`);
  });

  it('the keys pointed at the log by the same path', async () => {
    const { dir, env } = copyOfTemplate();
    const refused = await startRefused({ ...env, LEDGER_KEYS_DB: join(dir, '.', 'ledger.db') });
    expect(refused.output).toMatch(/LEDGER_KEYS_DB: names the same file as LEDGER_DB/);
  });

  it('the log given as the keys of another ledger (keys in LEDGER_DB)', async () => {
    const { dir, env } = copyOfTemplate();
    copyFileSync(join(dir, 'keys.db'), join(dir, 'other.db'));
    const refused = await startRefused({ ...env, LEDGER_DB: join(dir, 'other.db') });
    expect(refused.output).toContain(`LEDGER_DB=${join(dir, 'other.db')} holds the student keys`);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('a log on a read-only file system (as root: a tmpfs remounted read-only)', async () => {
    const mount = ledgerDir('ledger-ro-');
    dirs.push(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount]);
    } catch (error) {
      console.warn(`skipped: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
      return;
    }
    try {
      const { dir, env } = copyOfTemplate();
      for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm'])
        if (existsSync(join(dir, f))) execFileSync('cp', ['-a', join(dir, f), mount]);
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      const refused = await startRefused({ ...env, LEDGER_DB: join(mount, 'ledger.db') });
      expect(refused.output).toContain(`LEDGER_DB=${join(mount, 'ledger.db')} cannot be opened for writing`);
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  });
  if (!root) it.skip('a log on a read-only file system: needs root to mount one (CI runs as root)', () => {});

  it('a port that is not a port', async () => {
    const { env } = copyOfTemplate();
    for (const port of ['', '0x10', '1e3']) {
      const refused = await startRefused({ ...env, PORT: port });
      expect(refused.output).toMatch(/invalid configuration:\n {2}PORT: /);
    }
  });
});
