// How quickly a 200-student cohort's register, visits and mark grid answer and render on the
// benchmark's store (issue 15: under a second at 1M events). It builds the benchmark's synthetic log
// through the ledger's import path (bench/generate.ts) into --dir, unless a store is already there,
// adds a 200-student blended cohort taken through the demo's journeys once, then times the API reads
// (median of 7) and the pages in Chromium, from following the link to the painted page (median of 5).
// Not yet part of `npm run bench`.
//
//   npx tsx scripts/staff-pages-speed.ts                      # 1M events in /tmp/nasenco-staff-pages
//   npx tsx scripts/staff-pages-speed.ts --events 100000 --dir /tmp/small
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { SyntheticLog } from '../bench/generate.ts';
import { BenchKeyStore } from '../bench/keys.ts';
import { type EventType, validateEvent } from '../events/index.ts';
import { importApplicants } from '../src/app/applicants-csv.ts';
import { configureImmer } from '../src/app/immer.ts';
import { Ledger } from '../src/app/ledger.ts';
import { loadReferenceData } from '../src/app/reference-files.ts';
import { MemoryTokenStore } from '../src/auth/tokens.ts';
import { createCohort, staff, study } from '../src/demo/journeys.ts';
import { buildServer } from '../src/server.ts';
import { SqliteEventStore } from '../src/store/sqlite.ts';
import { LAUNCH } from '../tests/e2e/support/browser.ts';

configureImmer();
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    dir: { type: 'string', default: '/tmp/nasenco-staff-pages' },
    cohort: { type: 'string', default: 'speed-200' },
  },
});
const path = join(values.dir, 'ledger.db');
const cohortId = values.cohort;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;

async function build() {
  mkdirSync(values.dir, { recursive: true });
  const store = new SqliteEventStore({ path });
  const log = new SyntheticLog(loadReferenceData());
  const source = log.appends({ maxEvents: Number(values.events) });
  const started = performance.now();
  for (let done = false; !done; ) {
    const chunk = [];
    for (let size = 0; size < 20_000; ) {
      const next = source.next();
      if (next.done) {
        done = true;
        break;
      }
      chunk.push(next.value);
      size += next.value.events.length;
    }
    await Promise.all(
      chunk.map((a) =>
        store.append(
          a.streamId,
          a.events.map((e) => ({ ...e, data: validateEvent(e.type as EventType, e.data) })),
          a.expectedRevision,
        ),
      ),
    );
  }
  console.log(`built ${log.eventCount} events in ${ms(performance.now() - started)}`);
  await store.close();
}

async function addCohort(ledger: Ledger) {
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

if (!existsSync(path)) await build();
const ledger = new Ledger({
  store: new SqliteEventStore({ path }),
  keys: new BenchKeyStore(),
  reference: loadReferenceData(),
});
await ledger.start();
if (!ledger.queries.findCohort(cohortId)) await addCohort(ledger);
console.log(`${ledger.projections.eventsApplied} events; cohort ${cohortId} of 200 students`);

const tokens = new MemoryTokenStore();
const token = tokens.create({ id: staff.tutor.id, role: 'tutor', label: 'speed' });
const app = await buildServer({ ledger, tokens, logLevel: 'warn' });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
for (const url of [
  `/cohorts/${cohortId}/register`,
  `/cohorts/${cohortId}/marks?moduleCode=M1`,
  `/cohorts/${cohortId}/visits`,
]) {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
    await response.text();
    times.push(performance.now() - started);
  }
  console.log(`GET ${url}: median ${ms(median(times))}, slowest ${ms(Math.max(...times))}`);
}

const browser = await chromium.launch(LAUNCH);
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
await page.goto(`${base}/#/sign-in`);
await page.getByLabel('Bearer token').fill(token);
await page.keyboard.press('Enter');
await page.locator('[data-testid="signed-in-role"]').waitFor();
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
for (const hash of [
  `#/cohorts/${cohortId}/register`,
  `#/cohorts/${cohortId}/marks`,
  `#/cohorts/${cohortId}/visits`,
]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base}/#/students`);
    await page.locator('main:not([aria-busy])').waitFor();
    times.push((await page.evaluate(timeTo(hash))) as number);
  }
  console.log(`page ${hash}: painted in median ${ms(median(times))}, slowest ${ms(Math.max(...times))}`);
}
await browser.close();
await app.close();
await ledger.stop();
