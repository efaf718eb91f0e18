import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The project as a new user runs it: `npm start` on an empty data folder prints what the README shows,
// and stops when its npm process is sent SIGTERM (a process manager stops what it started: npm must not
// be left holding a signal the server never gets); `npx ledger` runs the command line; package.json's
// engines name the Node line the tests run on, as the README does.

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  bin: Record<string, string>;
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The same line whatever the run: numbers, the token and the host name stand for themselves. */
function shape(line: string): string {
  return line
    .replace(/nsl_[A-Za-z0-9_-]+/g, 'nsl_…')
    .replace(/"hostname":"[^"]*"/, '"hostname":"…"')
    .replace(/\d+/g, 'N')
    .replace(/nsl_\.\.\./g, 'nsl_…');
}

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
  let npm: ChildProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    npm = spawn('npm', ['start'], {
      cwd: root,
      // its own process group, so the test can clean up whatever is left if the server outlives npm
      detached: true,
      env: {
        ...process.env,
        PORT: '0',
        LEDGER_DB: join(dir, 'ledger.db'),
        LEDGER_KEYS_DB: join(dir, 'keys.db'),
        LEDGER_AUTH_DB: join(dir, 'auth.db'),
        LEDGER_SNAPSHOT_FILE: join(dir, 'snapshot'),
      },
    });
    npm.stdout!.on('data', (c) => {
      output += c;
    });
    npm.stderr!.on('data', (c) => {
      output += c;
    });
    const deadline = Date.now() + 60_000;
    while (!/demo registry token/.test(output) && Date.now() < deadline && npm.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
  }, 70_000);

  afterAll(() => {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // the group is gone: nothing was left running
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the start-up lines the README shows (the request log is quiet by default)', async () => {
    expect(url, output).not.toBe('');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const after = readme.slice(readme.indexOf('`npm start` needs nothing'));
    const sample = /```\n([\s\S]*?)```/.exec(after)?.[1];
    expect(sample, 'the README has a sample start-up output').toBeDefined();
    const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
    const printed = lines(output);
    const upToToken = printed.slice(0, printed.findIndex((l) => l.includes('demo registry token')) + 1);
    const expected = lines(sample!).map(shape);
    // the same lines; the JSON log line is written by the HTTP server's own logger, whose place among
    // the others depends on how stdout is buffered (a pipe here, a terminal for the README)
    expect([...upToToken.map(shape)].sort()).toEqual([...expected].sort());
    const friendly = (l: string) => !l.startsWith('{');
    expect(upToToken.map(shape).filter(friendly)).toEqual(expected.filter(friendly));
  });

  it('stops the server when npm is sent SIGTERM', async () => {
    expect(url).not.toBe('');
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    process.kill(npm.pid!, 'SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running'), 15_000)),
    ]);
    expect(code).toBe(0);
    expect(output).toMatch(/ledger: SIGTERM, closing/);
    await expect(fetch(`${url}/health`)).rejects.toThrow(); // nothing listens any more
  }, 20_000);
});

describe('package.json', () => {
  it('names a bin that exists and runs the command line (npx ledger)', () => {
    for (const file of Object.values(pkg.bin)) accessSync(join(root, file), constants.X_OK);
    const run = spawnSync('npx', ['--no-install', 'ledger', '--help'], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run ledger -- <command> \[options\]/);
    expect(run.stdout).toMatch(/^ {2}export-exam-board <cohortId>$/m);
  });

  it('engines names the Node line the tests run on, as the README says', () => {
    const m = /^>=(\d+)\.(\d+)\.(\d+) <(\d+)$/.exec(pkg.engines.node);
    expect(m, `engines.node is ${pkg.engines.node}`).not.toBeNull();
    const [major, minor, patch, below] = m!.slice(1).map(Number) as [number, number, number, number];
    const [nodeMajor, nodeMinor, nodePatch] = process.versions.node.split('.').map(Number) as [
      number,
      number,
      number,
    ];
    expect(below).toBe(major + 1); // one major line, the one the tests run on
    expect(nodeMajor).toBe(major);
    expect(nodeMinor * 1e6 + nodePatch).toBeGreaterThanOrEqual(minor * 1e6 + patch);
    expect(readme).toContain(`Node ${major} (${major}.${minor} or later) is required`);
  });
});
