import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The ledger as an operator runs it, in child processes on files in a temporary directory: the server
// (src/main.ts) and the command line, with the environment a test chooses.

export type Env = Record<string, string>;

export function ledgerDir(prefix = 'ledger-faults-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The variables naming every file under `dir`, on a free port, logs at warn. */
export function ledgerEnv(dir: string, extra: Env = {}): Env {
  const env: Env = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('LEDGER_')) env[k] = v;
  return {
    ...env,
    PORT: '0',
    LEDGER_DEMO: '0',
    LEDGER_DB: join(dir, 'ledger.db'),
    LEDGER_KEYS_DB: join(dir, 'keys.db'),
    LEDGER_AUTH_DB: join(dir, 'auth.db'),
    LEDGER_ISSUER_DB: join(dir, 'issuer.db'),
    LEDGER_LOG_LEVEL: 'warn',
    ...extra,
  };
}

export interface Server {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

/** Starts the server; resolves once it listens, rejects with its output if it exits first. */
export function startServer(env: Env): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let listening = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m && !listening) {
        listening = true;
        clearTimeout(timer);
        // The lines printed after it (the token, or how to make one) arrive within a moment.
        setTimeout(() => resolve({ child, url: m[1]!, output: () => out }), 300);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new StartRefused(code, out));
    });
  });
}

export class StartRefused extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`server exited with ${code}: ${output}`);
  }
}

/** Starts the server expecting it to refuse: resolves with its exit code and output. */
export async function startRefused(env: Env): Promise<StartRefused> {
  try {
    const server = await startServer(env);
    await stopServer(server.child);
    throw new Error(`the server started when it should have refused:\n${server.output()}`);
  } catch (error) {
    if (error instanceof StartRefused) return error;
    throw error;
  }
}

export async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

export function cli(env: Env, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The demo registry token a server printed, if it printed one. */
export function printedToken(output: string): string | null {
  return /(nsl_[A-Za-z0-9_-]+)/.exec(output)?.[1] ?? null;
}

export function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}
