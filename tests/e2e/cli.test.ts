import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { createCohort } from '../../src/demo/journeys.ts';
import { qtsRule } from '../../src/domain/rules/index.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';

// The command line as an administrator uses it, on a SQLite ledger in a temporary folder.

const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
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

describe('the ledger command line', () => {
  it('imports a cohort from CSV (checking every row first), then shows, explains, replays, exports and verifies', async () => {
    const ledger = new Ledger({
      store: new SqliteEventStore({ path: env.LEDGER_DB }),
      keys: new SqliteKeyStore(env.LEDGER_KEYS_DB),
      reference: loadReferenceData(),
    });
    await ledger.start();
    await createCohort(ledger, {
      cohortId: 'cli-2024',
      spec: ledger.reference.specification('blended-3module', 1),
      startsOn: '2024-01-08',
      examBoardId: 'b1',
      examBoardOn: '2024-11-15',
    });
    await ledger.stop();

    const header =
      'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';
    writeFileSync(
      join(dir, 'bad.csv'),
      `${header}\nAlex Ray,alex@school.example,1990-01-01,1234567,QTS,2024-01-01,0,Oak School,academy\nBo Chen,not-an-email,1991-02-02,7654321,QTS,,0,Elm School,academy\n`,
    );
    const bad = ledgerCli('import-cohort', '--cohort', 'cli-2024', '--file', join(dir, 'bad.csv'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/row 3, column email: must be an email address/);
    expect(ledgerCli('verify').stdout).toMatch(/^ok: 4 events in 1 streams/); // the cohort stream only: nothing imported

    writeFileSync(
      join(dir, 'good.csv'),
      `${header}\nAlex Ray,alex@school.example,1990-01-01,1234567,QTS,2024-01-01,0,Oak School,academy\n"Ní Bhriain, Siân",sian@school.example,1988-05-05,,none,,0,Elm School,academy\n`,
    );
    const good = ledgerCli('import-cohort', '--cohort', 'cli-2024', '--file', join(dir, 'good.csv'));
    expect(good.status, good.stderr).toBe(0);
    const ids = good.stdout.trim().split('\n');
    expect(ids).toHaveLength(2);

    const show = ledgerCli('show', ids[1]!);
    expect(show.stdout).toMatch(/Ní Bhriain, Siân/);
    expect(show.stdout).toMatch(/blended-3module v1, cohort cli-2024/);
    const explain = ledgerCli('explain', ids[0]!, '--on', '2024-06-01');
    expect(explain.stdout).toMatch(/^Not yet eligible/);
    expect(explain.stdout).toMatch(/\[NOT-MET\] 60 Master's-level credits/);
    const json = JSON.parse(ledgerCli('explain', ids[1]!, '--json').stdout);
    expect(json.rules.find((r: { rule: string }) => r.rule === qtsRule.id).outcome).toBe('fallback');
    const replay = ledgerCli('replay', ids[0]!).stdout.split('\n');
    expect(replay[0]).toMatch(/^step\s+happened\s+recorded\s+decision after it\s+credits\s+event$/);
    expect(replay[1]).toMatch(/^\s+1\s+\S+\s+\S+\s+not-yet-eligible\s+0\s+Application for blended-3module/);
    const csv = ledgerCli('export-exam-board', 'cli-2024').stdout.split('\n');
    expect(csv[0]).toMatch(/^student_id,module,credits/);
    expect(csv.filter((l) => l.startsWith(ids[0]!))).toHaveLength(3);
    expect(ledgerCli('rebuild').stdout).toMatch(/rebuilt \d+ events .* 2 students, 1 cohorts/);
    expect(ledgerCli('nonsense').status).toBe(2);
  }, 90_000);

  it('migrates the SQLite ledger into EventStoreDB (here the protocol test double) and verifies the copy', async () => {
    const double = await EsdbProtocolDouble.start();
    try {
      // Asynchronously, so the double (in this process) can answer the CLI's client.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'migrate', '--to', double.connectionString],
        { env },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.stderr.on('data', (c) => {
        err += c;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, err).toBe(0);
      const source = new SqliteEventStore({ path: env.LEDGER_DB });
      const target = new EventStoreDbStore({ connectionString: double.connectionString });
      const [a, b] = [await source.verify(), await target.verify()];
      expect(b.ok).toBe(true);
      expect(b.eventsChecked).toBe(a.eventsChecked);
      expect(b.headDigest).toBe(a.headDigest);
      expect(out).toContain(a.headDigest);
      await source.close();
      await target.close();
    } finally {
      await double.stop();
    }
  }, 90_000);
});
