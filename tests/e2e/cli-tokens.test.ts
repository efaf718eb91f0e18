import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort } from '../../src/demo/journeys.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { applicant, plans } from '../support/ledger.ts';

// A student token is made only for a student who exists: its id is the student id it reads. The CLI
// says why it refuses (the code and the reason) and creates nothing.

const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-tokens-'));
const env = {
  ...process.env,
  LEDGER_DB: join(dir, 'ledger.db'),
  LEDGER_KEYS_DB: join(dir, 'keys.db'),
  LEDGER_AUTH_DB: join(dir, 'auth.db'),
  LEDGER_SNAPSHOT_FILE: join(dir, 'snap'),
};
const ledgerCli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('token create --role student', () => {
  it('refuses a student id that does not exist, naming the code and why; accepts one that does', async () => {
    const ledger = new Ledger({
      store: new SqliteEventStore({ path: env.LEDGER_DB }),
      keys: new SqliteKeyStore(env.LEDGER_KEYS_DB),
      reference: loadReferenceData(),
    });
    await ledger.start();
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const studentId = await applyAndEnrol(ledger, plan, applicant(1));
    await ledger.stop();

    const missing = '00000000-0000-7000-8000-000000000000';
    const refused = ledgerCli('token', 'create', '--role', 'student', '--id', missing);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`unknown_student: there is no student ${missing}`);
    expect(refused.stdout).toBe('');
    expect(ledgerCli('token', 'list').stdout).not.toContain(missing);

    const made = ledgerCli('token', 'create', '--role', 'student', '--id', studentId);
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/^nsl_/);
    expect(ledgerCli('token', 'list').stdout).toContain(`${studentId}\tstudent`);
    // staff ids are not students: a tutor's token needs no record
    expect(ledgerCli('token', 'create', '--role', 'tutor', '--id', 'tutor-new').status).toBe(0);
  }, 60_000);
});
