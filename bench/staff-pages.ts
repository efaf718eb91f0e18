// The staff pages on a large ledger (issue 15: a 200-student cohort's register, mark grid and exam-board
// workspace render in under a second at 1M events), and the registry's Students page, which searches every
// student (issue 19). Opens a ledger on the SQLite log at `db`, adds a
// 200-student blended cohort taken through the demo's journeys (half its marks still provisional, its
// board recorded), then times the API reads each page makes (median of 7) and, where Chromium is
// installed, each page from following the link to the painted page (median of 5).
//
// `npm run bench` runs it in its own process on the largest size's log (bench.ts, `staffPagesPhase`);
// scripts/staff-pages-speed.ts runs it alone on a log it builds once.
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { importApplicants } from '../src/app/applicants-csv.ts';
import { configureImmer } from '../src/app/immer.ts';
import { Ledger } from '../src/app/ledger.ts';
import { loadReferenceData } from '../src/app/reference-files.ts';
import { MemoryTokenStore } from '../src/auth/tokens.ts';
import { createCohort, staff, study } from '../src/demo/journeys.ts';
import { buildServer } from '../src/server.ts';
import { SqliteEventStore } from '../src/store/sqlite.ts';
import { haveChromium, LAUNCH } from '../tests/e2e/support/browser.ts';
import { BenchKeyStore } from './keys.ts';

export interface StaffPagesResult {
  events: number;
  students: number;
  /** Median and slowest ms of each API read, by page. */
  api: Record<string, { median: number; slowest: number }>;
  /** Median and slowest ms from following the link to the painted page; null without Chromium. */
  pages: Record<string, { median: number; slowest: number }> | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stats = (xs: number[]) => ({ median: median(xs), slowest: Math.max(...xs) });

async function addCohort(ledger: Ledger, cohortId: string) {
  const plan = {
    cohortId,
    spec: ledger.reference.specification('blended-3module', 1),
    startsOn: '2024-01-08',
    examBoardId: `${cohortId}-board`,
    examBoardOn: '2024-11-15',
  };
  await createCohort(ledger, plan);
  const header =
    'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';
  const rows = Array.from(
    { length: 200 },
    (_, i) =>
      `Speed Student ${i},speed${i}@school.example,1985-01-01,${5_000_000 + i},QTS,2023-09-01,0,Elm,academy`,
  );
  const csv = [header, ...rows].join('\n');
  const { added } = await importApplicants(ledger, cohortId, csv, staff.registry, ledger.queries.today());
  for (const [i, a] of added.entries())
    await study(ledger, a.studentId, plan, {
      marks: { M1: 40 + (i % 50), M2: 55 },
      missedWebex: i % 7 === 0 ? ['M2'] : [],
      ratify: i % 2 === 0,
    });
}

// In the page: set the hash, then wait (polling without forcing layout) until the page has replaced its
// loading message, and two frames more so it has been painted.
const timeTo = (hash: string) => `new Promise((done) => {
  const started = performance.now();
  location.hash = '${hash}';
  const check = () => {
    const main = document.querySelector('main');
    if (!main.hasAttribute('aria-busy') && main.querySelector('h1') && !main.querySelector('.loading'))
      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started)));
    else setTimeout(check, 5);
  };
  setTimeout(check, 5);
})`;

export async function measureStaffPages(
  db: string,
  { cohortId = 'speed-200', log = console.log }: { cohortId?: string; log?: (line: string) => void } = {},
): Promise<StaffPagesResult> {
  configureImmer();
  const ledger = new Ledger({
    store: new SqliteEventStore({ path: db }),
    keys: new BenchKeyStore(),
    reference: loadReferenceData(),
    // the read models kept beside the log (as deployed): resumed, not rebuilt in memory at every start
    readModels: join(dirname(db), 'read-models.db'),
  });
  await ledger.start();
  try {
    if (!ledger.queries.findCohort(cohortId)) {
      log(`staff pages: adding a 200-student cohort ${cohortId}`);
      await addCohort(ledger, cohortId);
    }
    const board = `${cohortId}-board`;
    const tokens = new MemoryTokenStore();
    // the register and mark grid as the cohort's tutor sees them; the board as registry runs it
    const tutor = tokens.create({ id: staff.tutor.id, role: 'tutor', label: 'speed' });
    const registry = tokens.create({ id: staff.registry.id, role: 'registry', label: 'speed' });
    const app = await buildServer({ ledger, tokens, logLevel: 'warn' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const reads: [string, string, string[]][] = [
        ['register', tutor, [`/cohorts/${cohortId}/register`]],
        ['mark grid', tutor, [`/cohorts/${cohortId}/marks?moduleCode=M1`]],
        [
          'exam-board workspace',
          registry,
          [`/cohorts/${cohortId}/exam-boards/${board}`, `/cohorts/${cohortId}/exam-board.csv`],
        ],
        // where registry lands on signing in: every student, sorted by name (each one's details unsealed)
        ['registry students search', registry, ['/students/search']],
      ];
      const api: StaffPagesResult['api'] = {};
      for (const [name, token, urls] of reads) {
        const times: number[] = [];
        for (let i = 0; i < 7; i++) {
          const started = performance.now();
          // a page's reads go out together
          await Promise.all(
            urls.map(async (url) => {
              const r = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
              if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
              await r.text();
            }),
          );
          times.push(performance.now() - started);
        }
        api[name] = stats(times);
      }
      let pages: StaffPagesResult['pages'] = null;
      if (haveChromium) {
        pages = {};
        const browser = await chromium.launch(LAUNCH);
        try {
          for (const [name, token, hash] of [
            ['register', tutor, `#/cohorts/${cohortId}/register`],
            ['mark grid', tutor, `#/cohorts/${cohortId}/marks`],
            ['exam-board workspace', registry, `#/cohorts/${cohortId}/exam-board?board=${board}`],
            ['registry students search', registry, '#/students'],
          ] as const) {
            const page = await (
              await browser.newContext({ viewport: { width: 1366, height: 768 } })
            ).newPage();
            await page.goto(`${base}/#/sign-in`);
            await page.getByLabel('Bearer token').fill(token);
            await page.keyboard.press('Enter');
            await page.locator('[data-testid="signed-in-role"]').waitFor();
            const times: number[] = [];
            for (let i = 0; i < 5; i++) {
              await page.goto(`${base}/#/cohorts`);
              await page.locator('main:not([aria-busy])').waitFor();
              times.push((await page.evaluate(timeTo(hash))) as number);
            }
            pages[name] = stats(times);
            await page.context().close();
          }
        } finally {
          await browser.close();
        }
      } else log(`staff pages: no Chromium at ${LAUNCH.executablePath}, pages not timed`);
      return {
        events: ledger.projections.eventsApplied,
        students: ledger.queries.studentIds(cohortId).length,
        api,
        pages,
      };
    } finally {
      await app.close();
    }
  } finally {
    await ledger.stop();
  }
}

/** The figures as the bench prints them. */
export function staffPagesLines(r: StaffPagesResult): string[] {
  const ms = (x: number) => `${Math.round(x)} ms`;
  return [
    `staff pages, a ${r.students}-student cohort at ${r.events.toLocaleString('en-GB')} events (target: a cohort's pages under 1 s; the registry's Students page searches every student):`,
    ...Object.entries(r.api).map(
      ([name, t]) =>
        `  ${name}: API ${ms(t.median)} (median of 7, slowest ${ms(t.slowest)})` +
        (r.pages?.[name]
          ? `; in Chromium, painted in ${ms(r.pages[name]!.median)} (median of 5, slowest ${ms(r.pages[name]!.slowest)})`
          : ''),
    ),
  ];
}

/** Runs the measurement in its own process, as the bench's other phases run (bench.ts). */
export function staffPagesPhase(db: string, execArgv: string[] = []): Promise<StaffPagesResult> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--db', db], {
    execArgv: [...process.execArgv, ...execArgv],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: StaffPagesResult | null = null;
    child.on('message', (m: StaffPagesResult) => {
      result = m;
    });
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`staff pages exited with code ${code}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const { values } = parseArgs({ options: { db: { type: 'string' } } });
  const result = await measureStaffPages(values.db!);
  process.send(result, () => process.exit(0));
}
