import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';

// What a new user tripped over at the command line (issue 17), each run as the real command on a SQLite
// ledger in a temporary folder. The history: a student whose marks were ratified at the November 2024
// board (recorded then), whose M2 resubmission was permitted at the board, and whose M1 mark was
// corrected in January 2025, after the board.

const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-user-'));
const env = {
  ...process.env,
  LEDGER_DB: join(dir, 'ledger.db'),
  LEDGER_KEYS_DB: join(dir, 'keys.db'),
  LEDGER_AUTH_DB: join(dir, 'auth.db'),
  LEDGER_SNAPSHOT_FILE: join(dir, 'projections.snapshot'),
};
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' });

const cliAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const COHORT = 'cli-user-2024';
let student = '';

beforeAll(async () => {
  const clock = { now: new Date('2024-11-15T16:00:00Z') };
  const ledger = new Ledger({
    store: new SqliteEventStore({ path: env.LEDGER_DB, clock: () => clock.now }),
    keys: new SqliteKeyStore(env.LEDGER_KEYS_DB),
    reference: loadReferenceData(),
    clock: () => clock.now,
  });
  await ledger.start();
  const plan = {
    cohortId: COHORT,
    spec: ledger.reference.specification('blended-3module', 1),
    startsOn: '2024-01-08',
    examBoardId: 'board-2024-11',
    examBoardOn: '2024-11-15',
  };
  await createCohort(ledger, plan);
  student = await applyAndEnrol(ledger, plan, {
    fullName: 'Tam Hughes',
    email: 'tam.hughes@school.example',
    dateOfBirth: '1984-04-14',
    qts: 'QTS',
    appointedOn: '2023-09-01',
  });
  await study(ledger, student, plan, { marks: { M1: 62, M2: 43, M3: 57 } });
  await ledger.execute(
    student,
    'permitResubmission',
    { moduleCode: 'M2', deadline: '2025-02-28', permittedOn: '2024-11-15' },
    { actor: staff.registry },
  );
  clock.now = new Date('2025-01-10T10:00:00Z');
  const m1 = ledger.queries.record(student).modules.M1![0]!.markChain!;
  await ledger.execute(
    student,
    'correctMark',
    { correctsEventId: m1, correctedMark: 45, reason: 'Marking-grid arithmetic error' },
    { actor: staff.admin },
  );
  await ledger.stop();
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('date options are strict', () => {
  it('refuses a date that is not a real YYYY-MM-DD date, with a message and exit 2, printing nothing', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['replay', student, '--until', '15/11/2024'],
        /--until "15\/11\/2024" is not a date: give it as YYYY-MM-DD/,
      ],
      [['replay', student, '--until', '2024-13-45'], /--until "2024-13-45" is not a real date/],
      [['explain', student, '--on', '2024-02-31'], /--on "2024-02-31" is not a real date/],
      [['export-exam-board', COHORT, '--on', '15/11/2024'], /--on "15\/11\/2024" is not a date/],
      [['explain', student, '--known-at', '2024-11-31'], /--known-at "2024-11-31" is not a real date/],
      [['explain', student, '--known-at', 'yesterday'], /--known-at "yesterday" is neither a date/],
    ];
    // each exits before the ledger is opened, so they can run side by side
    const runs = await Promise.all(cases.map(([args]) => cliAsync(...args)));
    runs.forEach((run, i) => {
      const [args, message] = cases[i]!;
      expect([run.status, run.stdout], args.join(' ')).toEqual([2, '']);
      expect(run.stderr, args.join(' ')).toMatch(message);
    });
  });

  it('refuses an option the command does not take rather than ignoring it', () => {
    const run = cli('show', student, '--on', '2024-06-01');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/show does not take --on \(it takes --json\)/);
  });
});

describe('--on and --known-at', () => {
  it("--on judges today's log (with the later correction) as if on that date, and says so in the help", () => {
    const on = cli('explain', student, '--on', '2024-12-01');
    expect(on.status, on.stderr).toBe(0);
    expect(on.stdout).toMatch(/^judged on 2024-12-01, from the log up to position \d+$/m);
    expect(on.stdout).toMatch(/^credits 20\/60;/m); // M1 corrected to 45 in January, read back
    expect(cli('explain', '--help').stdout).toMatch(
      /--on YYYY-MM-DD\s+judge on this date: today's log \(with every later correction\)/,
    );
  });

  it('explain --known-at shows the decision as the ledger knew it then, before the correction', () => {
    const then = cli('explain', student, '--known-at', '2024-12-01');
    expect(then.status, then.stderr).toBe(0);
    expect(then.stdout).toMatch(/as known at 2024-12-01T23:59:59\.999Z \(\d+ events recorded by then\)/);
    expect(then.stdout).toMatch(/^credits 40\/60;/m);
  });

  it('replay --known-at leaves out what was recorded later; --until what happened later', () => {
    const all = cli('replay', student).stdout;
    expect(all).toMatch(/Corrected 62 -> 45 for M1/);
    const known = cli('replay', student, '--known-at', '2024-12-01');
    expect(known.status).toBe(0);
    expect(known.stdout).not.toMatch(/Corrected/);
    expect(known.stdout).toMatch(
      /Resubmission permitted for M2 \(attempt 2, capped at 50, due by 2025-02-28\)/,
    );
    const none = cli('replay', student, '--until', '2020-01-01');
    expect([none.status, none.stdout.trim()]).toEqual([0, 'no events within that bound']);
  });

  it('export-exam-board --known-at gives the marks as the board saw them', () => {
    const row = (csv: string, module: string, attempt: string) =>
      csv
        .split('\n')
        .map((l) => l.split(','))
        .find((c) => c[0] === student && c[1] === module && c[3] === attempt)!;
    const now = cli('export-exam-board', COHORT).stdout;
    expect(row(now, 'M1', '1').slice(6, 11)).toEqual(['45', '', '45', '50', 'provisional']);
    const board = cli('export-exam-board', COHORT, '--known-at', '2024-11-15', '--on', '2024-11-15');
    expect(board.status, board.stderr).toBe(0);
    expect(row(board.stdout, 'M1', '1').slice(6, 11)).toEqual(['62', '', '62', '50', 'ratified']);
    expect(row(board.stdout, 'M2', '1').slice(6, 11)).toEqual(['43', '', '43', '50', 'ratified']);
    expect(row(board.stdout, 'M2', '2')[5]).toBe('2025-02-28');
  });
});

describe('explain and show say what they print', () => {
  it('explain gives when each event happened and when it was recorded, named', () => {
    const out = cli('explain', student).stdout;
    expect(out).toMatch(
      /each event: when it happened \(occurred-at\) and when the ledger recorded it \(recorded-at\)/,
    );
    // marked in the summer, recorded at the November board's session
    expect(out).toMatch(
      /event \S+ StudentEnrolled by registry-officer-1 \(registry\): happened 2024-01-08, recorded 2024-11-15T16:00:00\.\d{3}Z/,
    );
  });

  it('show explains its marks with a legend', () => {
    const out = cli('show', student).stdout;
    expect(out).toMatch(/^ {2}M1\s+marked-provisional\s+45\*$/m);
    expect(out).toMatch(/^ {2}M2\s+resubmission-permitted\s+43 -\(due 2025-02-28\)$/m);
    expect(out).toMatch(/43\* provisional \(not yet ratified by an exam board\); - nothing marked yet/);
  });
});

describe('import-cohort explains what is wrong', () => {
  const header =
    'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';

  it('says a missing file is missing, without a raw ENOENT', () => {
    const run = cli('import-cohort', '--cohort', COHORT, '--file', join(dir, 'nowhere.csv'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot read --file \S+nowhere\.csv: there is no such file/);
    expect(run.stderr).not.toMatch(/ENOENT/);
  });

  it('names the row, the column and what is allowed, for every problem, and writes nothing', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      `${header}\nAlex Ray,alex@school.example,1990-02-30,1234567,QTS,2024-01-01,0,Oak School,acadamy\nBo Chen,bo@school.example,1991-02-02,7654321,qts,01/09/2024,0,Elm School,academy\n`,
    );
    const before = cli('verify').stdout;
    const run = cli('import-cohort', '--cohort', COHORT, '--file', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('row 2, column date_of_birth: must be a real date as YYYY-MM-DD');
    expect(run.stderr).toContain(
      'row 2, column school_type: must be one of maintained-mainstream, academy, free-school, maintained-nursery, pre-school, independent, special, pru, fe-college, other (found "acadamy")',
    );
    expect(run.stderr).toContain('row 3, column qts_status: must be one of QTS, QTLS, none (found "qts")');
    expect(run.stderr).toContain(
      'row 3, column appointed_senco_on: must be empty (not yet appointed) or a real date as YYYY-MM-DD (found "01/09/2024")',
    );
    expect(run.stderr).not.toMatch(/Invalid option/);
    expect(cli('verify').stdout).toBe(before);
  });

  it('names missing and unknown columns', () => {
    const file = join(dir, 'columns.csv');
    writeFileSync(file, 'full_name,email,school\nA,a@b.example,Oak\n');
    const run = cli('import-cohort', '--cohort', COHORT, '--file', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('column school_type: is missing from the header row');
    expect(run.stderr).toMatch(/column school: is not a column of the import: full_name, email/);
  });
});

describe('rebuild', () => {
  it('rebuilds from the log and writes the snapshot a start resumes from', async () => {
    rmSync(env.LEDGER_SNAPSHOT_FILE, { force: true });
    const run = cli('rebuild');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^rebuilt \d+ events .*: 1 students, 1 cohorts$/m);
    expect(run.stdout).toMatch(/wrote the snapshot \S+projections\.snapshot at position \d+/);
    expect(existsSync(env.LEDGER_SNAPSHOT_FILE)).toBe(true);
    const ledger = new Ledger({
      store: new SqliteEventStore({ path: env.LEDGER_DB }),
      keys: new SqliteKeyStore(env.LEDGER_KEYS_DB),
      reference: loadReferenceData(),
      snapshotPath: env.LEDGER_SNAPSHOT_FILE,
    });
    const started = await ledger.start();
    expect(started.snapshot?.loaded).toBe(true);
    expect(started.applied).toBe(0);
    expect(ledger.queries.credits(student)!.earned).toBe(20);
    await ledger.stop();
  });
});
