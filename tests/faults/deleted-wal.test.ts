import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { anApplication } from '../support/samples.ts';
import { cli, ledgerDir, ledgerEnv, printedToken, startRefused, startServer } from './support.ts';

// The report: after a SIGKILL, deleting the -wal file lost 309 acknowledged events and nobody
// noticed. Acknowledged events live in the WAL until SQLite copies them into the main file; a checkpoint
// written at the exam board records how many there were, so a log that lost them is refused.

const dir = ledgerDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the -wal file deleted after a SIGKILL', () => {
  it('is caught at start-up and by verify, naming the checkpoint written at the exam board', async () => {
    const env = ledgerEnv(dir, { LEDGER_DEMO: '1' });
    const server = await startServer(env);
    const token = printedToken(server.output())!;
    expect(token).toBeTruthy();
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Acknowledged writes after the demo (a few applications), then an exam board, which is anchored.
    for (let i = 0; i < 5; i++) expect((await post('/students', anApplication(i))).status).toBe(201);
    const board = await post('/cohorts/blended-2024-spring-online/exam-boards', {
      examBoardId: 'board-2025-01',
      heldOn: '2025-01-10',
      externalExaminers: ['examiner-1'],
    });
    expect(board.status).toBe(201);
    const checkpoints = join(dir, 'checkpoints');
    const atBoard = () =>
      readdirSync(checkpoints).find((f) =>
        JSON.parse(readFileSync(join(checkpoints, f), 'utf8')).reason.includes('board-2025-01'),
      );
    await waitFor(() => atBoard() !== undefined);
    const anchored = JSON.parse(readFileSync(join(checkpoints, atBoard()!), 'utf8'));

    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    const wal = join(dir, 'ledger.db-wal');
    expect(existsSync(wal) && statSync(wal).size > 0).toBe(true);
    // The premise: without its WAL, the file holds fewer events than were acknowledged and anchored.
    copyFileSync(join(dir, 'ledger.db'), join(dir, 'main-file-only.db'));
    const alone = new Database(join(dir, 'main-file-only.db'), { readonly: true });
    const hasTable = alone.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events'").pluck().get();
    const left = hasTable ? (alone.prepare('SELECT count(*) FROM events').pluck().get() as number) : 0;
    alone.close();
    expect(left).toBeLessThan(anchored.count);

    rmSync(wal);
    rmSync(join(dir, 'ledger.db-shm'), { force: true });

    const refused = await startRefused(env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('refusing to start on this log');
    expect(refused.output).toMatch(
      /the log is shorter than checkpoint checkpoint-.*\.json \(\d+ events up to position \d+, written .*, exam board board-2025-01/,
    );
    expect(refused.output).toContain(`it holds ${left} events`);

    const verify = cli(env, 'verify');
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/CHECKPOINT REFUSED: the log is shorter than checkpoint/);
  }, 120_000);
});

async function waitFor(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
