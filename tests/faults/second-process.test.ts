import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ledgerDir, ledgerEnv, type Server, startServer, stopServer } from './support.ts';

// Two server processes on the same files, as behind a load balancer: an erasure made through one must stop
// the other showing the personal data as soon as the event reaches the log it follows (it polls the file
// every quarter of a second), although it read the student's key before.

const dir = ledgerDir();
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await stopServer(s.child);
  rmSync(dir, { recursive: true, force: true });
});

describe('a second server process on the same files', () => {
  it('stops showing erased personal data once the erasure is in the log', async () => {
    const env = ledgerEnv(dir);
    const token = (role: string, id: string) =>
      cli(env, 'token', 'create', '--role', role, '--id', id).stdout.trim();
    const admin = token('admin', 'admin-7');
    const registry = token('registry', 'registry-7');
    const first = await startServer({ ...env, LEDGER_DEMO: '1' });
    servers.push(first);
    const second = await startServer(env);
    servers.push(second);
    const get = (server: Server, path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${registry}` } }).then((r) =>
        r.json(),
      );

    const { students } = (await get(second, '/students')) as { students: { studentId: string }[] };
    const id = students[0]!.studentId;
    const before = (await get(second, `/students/${id}`)) as { personal: { fullName?: string } };
    expect(before.personal.fullName).toBeTruthy();

    const erased = await fetch(`${first.url}/students/${id}/erase-personal-data`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestReference: 'DPA-7', erasedOn: '2026-01-05' }),
    });
    expect(erased.status).toBe(201);

    const until = Date.now() + 3000;
    let seen: unknown;
    do {
      await new Promise((r) => setTimeout(r, 100));
      seen = ((await get(second, `/students/${id}`)) as { personal: unknown }).personal;
    } while (Date.now() < until && JSON.stringify(seen) !== JSON.stringify({ erased: true }));
    expect(seen).toEqual({ erased: true });
    expect(JSON.stringify(await get(second, '/students'))).not.toContain(before.personal.fullName!);
  }, 120_000);
});
