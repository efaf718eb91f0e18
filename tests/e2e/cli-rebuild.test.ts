import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { SyntheticLog } from '../../bench/generate.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { cli, ledgerDir, ledgerEnv, startServer, stopServer } from '../faults/support.ts';

// `ledger rebuild` run by an operator while the server serves: the command line builds the read models
// from the first event as a new generation in the same file, with its progress on stderr (plain lines, as
// stderr is not a terminal here), while the server keeps answering from the generation it has; once
// caught up the new one is made live, and the server moves to it and follows the log from there.

const dir = ledgerDir('ledger-cli-rebuild-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: number;
  state: string;
  checkpoint: number;
}

function generations(path: string): Row[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, state, checkpoint FROM read_model_generations ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

it('rebuilds beside a running server, which answers from its read models meanwhile, then moves to the new ones', async () => {
  const env = ledgerEnv(dir);
  const readDb = env.LEDGER_READ_DB!;
  const store = new SqliteEventStore({ path: env.LEDGER_DB!, synchronous: 'normal' });
  const source = new SyntheticLog(loadReferenceData());
  const students: string[] = [];
  for (const a of source.appends({ maxStudents: 300 })) {
    await store.append(a.streamId, a.events, a.expectedRevision);
    if (a.streamId.startsWith('student-')) students.push(a.streamId.slice('student-'.length));
  }
  const token = cli(env, 'token', 'create', '--role', 'registry', '--id', 'reg-1').stdout.trim();
  const server = await startServer(env);
  const read = (id: string) =>
    fetch(`${server.url}/students/${id}`, { headers: { authorization: `Bearer ${token}` } });
  try {
    const [old] = generations(readDb);
    expect(old).toMatchObject({ state: 'live', checkpoint: Number(await store.headPosition()) });

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'rebuild'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void exited.then(() => {
      running = false;
    });

    // while the new generation is being built, the server answers from the live one
    let answeredWhileBuilding = 0;
    let i = 0;
    while (running) {
      const building = generations(readDb).find((g) => g.state === 'building');
      if (building) {
        const id = students[i++ % students.length]!;
        const response = await read(id);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { studentId: string }).studentId).toBe(id);
        // still building after the answer: it came from the old generation
        if (generations(readDb).find((g) => g.id === building.id)?.state === 'building')
          answeredWhileBuilding++;
      } else await new Promise((r) => setTimeout(r, 5));
    }
    expect(await exited, stderr).toBe(0);
    expect(answeredWhileBuilding).toBeGreaterThan(0);

    const head = Number(await store.headPosition());
    expect(stdout).toMatch(new RegExp(`rebuilt ${head} events in .* 300 students`));
    expect(stdout).toMatch(/they replace those at position \d+, which answered meanwhile/);
    // not a terminal: plain lines, each with the count out of the total, the last one the whole log
    expect(stderr).not.toContain('\r');
    const lines = stderr.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^rebuilding \[[#.]{30}\] \d+\/\d+ \(\d+\/s\)$/);
    expect(lines.at(-1)).toContain(` ${head}/${head} `);

    const after = generations(readDb);
    const fresh = after.find((g) => g.state === 'live')!;
    expect(fresh.id).toBeGreaterThan(old!.id);
    expect(fresh.checkpoint).toBe(head);
    expect(after.find((g) => g.id === old!.id)?.state).toBe('retired');

    // the log grows: only the server writes now, so the new generation following it is the server's doing
    const more = [...source.appends({ maxStudents: 1 })];
    for (const a of more) await store.append(a.streamId, a.events, a.expectedRevision);
    const newHead = Number(await store.headPosition());
    await expect
      .poll(() => generations(readDb).find((g) => g.id === fresh.id)?.checkpoint, { timeout: 10_000 })
      .toBe(newHead);
    const added = more.at(-1)!.streamId.slice('student-'.length);
    expect((await read(added)).status).toBe(200);
  } finally {
    await stopServer(server.child);
    await store.close();
  }
}, 90_000);
