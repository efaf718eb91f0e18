import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ledgerDir, ledgerEnv, printedToken, startServer, stopServer } from './support.ts';

// What a start prints about tokens: a demo registry token only for a ledger that holds the demo (and it
// says so), never written to the logs; otherwise how to create the first admin token. A demo token from an
// earlier start stops working when the next start prints none.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const me = (url: string, token: string) =>
  fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('tokens printed at start', () => {
  it('a demo token only for a ledger that holds the demo, never in the logs, revoked once not printed', async () => {
    const dir = ledgerDir();
    dirs.push(dir);
    const env = ledgerEnv(dir, { LEDGER_DEMO: '1', LEDGER_LOG_LEVEL: 'info' });
    const demo = await startServer(env);
    const token = printedToken(demo.output())!;
    expect(demo.output()).toMatch(/this ledger holds the demo data, so here is a demo registry token/);
    expect(await me(demo.url, token)).toBe(200);
    await stopServer(demo.child);
    // Printed once, on its own line; the request logs (at info) never carry it.
    expect(demo.output().split(token).length - 1).toBe(1);

    const plain = await startServer({ ...env, LEDGER_DEMO: '0' });
    expect(printedToken(plain.output())).toBeNull();
    expect(await me(plain.url, token)).toBe(401);
    expect(plain.output()).toMatch(
      /no tokens yet; create the first admin token with: npm run ledger -- token create --role admin/,
    );
    await stopServer(plain.child);
  }, 120_000);

  it('no demo token for a ledger that holds other data, even with LEDGER_DEMO=1', async () => {
    const dir = ledgerDir();
    dirs.push(dir);
    const env = ledgerEnv(dir);
    const empty = await startServer(env);
    expect(empty.output()).toMatch(/create the first admin token/);
    await stopServer(empty.child);
    // Something that is not the demo, written by the command line.
    const registry = cli(env, 'token', 'create', '--role', 'registry', '--id', 'reg-1').stdout.trim();
    const server = await startServer(env);
    const cohort = await fetch(`${server.url}/cohorts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${registry}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        cohortId: 'real-2025',
        name: 'Real cohort',
        programmeId: 'blended-3module',
        specVersion: 1,
        intake: 'spring',
        location: 'Bath',
        mode: 'online',
        startsOn: '2025-01-06',
        sessions: [],
      }),
    });
    expect(cohort.status).toBe(201);
    await stopServer(server.child);

    const again = await startServer({ ...env, LEDGER_DEMO: '1' });
    expect(printedToken(again.output())).toBeNull();
    expect(again.output()).not.toMatch(/loaded the demo/);
    await stopServer(again.child);
  }, 120_000);
});
