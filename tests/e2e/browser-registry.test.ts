import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importApplicants } from '../../src/app/applicants-csv.ts';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { buildServer } from '../../src/server.ts';
import { testLedger } from '../support/ledger.ts';
import {
  haveChromium,
  LAUNCH,
  listenLocally,
  lookAtBothWidths,
  openPage,
  settled,
  signIn,
} from './support/browser.ts';

// A registry officer's work in the pages, in headless Chromium: creating a cohort with its sessions,
// assigning its tutor and examiner (only people with a token are offered, and the API refuses anyone
// else), uploading the applicants' CSV (a file with bad rows lists every one and imports nothing; the
// same file twice adds nobody twice), and finding students by their details, sorted and paged.

const HEADER =
  'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';

describe.skipIf(!haveChromium)('a registry officer in the pages (headless Chromium)', () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  let token = '';

  async function look(page: Page, name: string) {
    expect(await lookAtBothWidths(page, name), `problems on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    ({ ledger } = await testLedger('2026-12-01')); // on or after the demo's last fact
    await loadDemo(ledger);
    // enough students for the list to need a second page
    const rows = Array.from(
      { length: 20 },
      (_, i) =>
        `Applicant ${String(i + 1).padStart(2, '0')} Example,applicant${i + 1}@school.example,1985-01-01,${3000000 + i},QTS,2023-09-01,0,Elm School,academy`,
    );
    await importApplicants(
      ledger,
      'bpn-2024-spring-bristol',
      [HEADER, ...rows].join('\n'),
      staff.registry,
      '2026-12-01',
    );
    const tokens = new MemoryTokenStore();
    token = tokens.create({ id: staff.registry.id, role: 'registry', label: 'browser test registry' });
    tokens.create({ id: 'tutor-7', role: 'tutor', label: 'Tutor Seven' });
    tokens.create({ id: 'examiner-3', role: 'examiner', label: 'External examiner Three' });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('creates a cohort with its sessions, assigns its staff and uploads its applicants', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.locator('#site-nav').getByRole('link', { name: 'Cohorts' }).click();
    await page.getByRole('link', { name: 'Create a cohort' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create a cohort' }).waitFor();
    await settled(page);
    const form = page.getByTestId('new-cohort-form');
    await form.getByLabel('Cohort id').fill('leeds 2024');
    await form.getByLabel('Name').fill('Leeds, summer 2024');
    await form.getByLabel('Programme specification').selectOption('blended-3module@1');
    await form.getByLabel('Intake').selectOption('spring');
    await form.getByLabel('Location').fill('Leeds');
    await form.getByLabel('Mode').selectOption('blended');
    await form.getByLabel('Starts on').fill('2024-06-03');
    await form.getByRole('button', { name: 'Plan the sessions from the programme' }).click();
    const sessions = page.getByTestId('sessions').locator('li');
    await expect.poll(() => sessions.count()).toBe(3);
    expect(await sessions.nth(1).getByLabel('Session id').inputValue()).toBe('webex-M2-1');
    expect(await sessions.nth(1).getByLabel('Date').inputValue()).toBe('2024-09-03');
    const head = await ledger.store.headPosition();
    await form.getByRole('button', { name: 'Create the cohort' }).click();
    const idField = form.locator('.field--error', { has: page.getByLabel('Cohort id') });
    await expect
      .poll(() => idField.locator('.field__error').textContent())
      .toBe('Error: must be a short code of letters, digits, dot, dash or underscore');
    expect(await ledger.store.headPosition()).toBe(head);
    await look(page, '30-registry-new-cohort-refused');

    await form.getByLabel('Cohort id').fill('leeds-2024-summer');
    await form.getByRole('button', { name: 'Create the cohort' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration: Leeds, summer 2024' }).waitFor();
    await settled(page);
    expect(ledger.queries.findCohort('leeds-2024-summer')?.sessions.map((s) => s.sessionId)).toEqual([
      'webex-M1-1',
      'webex-M2-1',
      'webex-M3-1',
    ]);

    // only the people who can sign in are offered; the demo's tutor-1 has no token here
    const staffForm = page.getByTestId('staff-form');
    const people = await staffForm.getByLabel('Person').locator('option').allTextContents();
    expect(people).toEqual(['tutor-7 (Tutor Seven)']);
    await staffForm.getByRole('button', { name: 'Assign to the cohort' }).click();
    await expect
      .poll(() => page.getByTestId('staff-assigned').textContent())
      .toBe('tutor-7 is assigned to leeds-2024-summer as a tutor.');
    await page.getByTestId('staff-form').getByLabel('Role').selectOption('examiner');
    await page.getByTestId('staff-form').getByRole('button', { name: 'Assign to the cohort' }).click();
    await expect
      .poll(() => page.getByTestId('staff-assigned').textContent())
      .toContain('examiner-3 is assigned');
    expect([...ledger.queries.findCohort('leeds-2024-summer')!.tutors]).toEqual(['tutor-7']);

    // a file with bad rows: every one listed, nothing imported
    const upload = page.getByTestId('applicants-form');
    const bad = [
      HEADER,
      'Ada Ray,ada@oak.example,1990-01-01,2345678,QTS,2024-01-01,0,Oak School,academy',
      'Bo Chen,not-an-email,1991-02-02,3456789,QTS,,0,Elm School,academy',
      'Cy Dunn,cy@elm.example,1992-13-01,4567891,QTS,,0,Elm School,palace',
    ].join('\n');
    await upload.getByLabel("Applicants' CSV file").setInputFiles({
      name: 'applicants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await upload.getByRole('button', { name: 'Upload and enrol' }).click();
    const problems = page.getByTestId('upload-problems');
    await problems.waitFor();
    expect(await upload.locator('.field__error').textContent()).toBe(
      'Error: 2 rows of the file need correcting; nothing was imported. Every problem is listed below.',
    );
    const cells = await problems
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim()).join(' | ')));
    expect(cells).toEqual([
      'Row 3 | email | must be an email address',
      'Row 4 | date_of_birth | must be a real date as YYYY-MM-DD',
      expect.stringMatching(/^Row 4 \| school_type \| must be one of .*\(found "palace"\)$/),
    ]);
    expect(ledger.queries.studentIds('leeds-2024-summer')).toEqual([]);
    await look(page, '31-registry-upload-refused');

    const good = [
      bad.split('\n')[0],
      bad.split('\n')[1],
      'Di Eze,di@elm.example,1993-03-03,,none,,0,Elm School,academy',
    ].join('\n');
    for (const round of [1, 2]) {
      await upload.getByLabel("Applicants' CSV file").setInputFiles({
        name: 'applicants.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(good),
      });
      await upload.getByRole('button', { name: 'Upload and enrol' }).click();
      const result = page.getByTestId('upload-result');
      await expect
        .poll(() => result.locator('h3').textContent())
        .toBe(round === 1 ? '2 applicants registered and enrolled' : '0 applicants registered and enrolled');
      if (round === 2)
        expect(await result.textContent()).toContain(
          '2 applicants already in the cohort, not added again:Row 2: Ada Ray (the same teacher reference number)Row 3: Di Eze (the same email)',
        );
    }
    expect(ledger.queries.studentIds('leeds-2024-summer')).toHaveLength(2);
    await look(page, '32-registry-upload-again');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds students by name, email, teacher reference number or student number, sorted and paged', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
    await settled(page);
    const results = page.getByTestId('search-results');
    expect(await results.locator('caption').textContent()).toMatch(/^42 students, by name$/);
    expect(await results.locator('tbody tr').count()).toBe(25);
    await results.getByRole('button', { name: 'Next ▶' }).click();
    await expect
      .poll(() => results.locator('.pager__status').textContent())
      .toBe('Showing 26 to 42 of 42 (page 2 of 2)');
    expect(page.url()).toContain('page=2');

    const search = page.getByLabel('Name, email, teacher reference number or student number');
    const owen = [...ledger.queries.records()].find(
      (r) => ledger.queries.personalDetails(r)?.fullName === 'Owen Clarke',
    )!;
    const trn = ledger.queries.personalDetails(owen)!.teacherReferenceNumber!;
    for (const [q, matchedBy] of [
      [trn, 'teacher reference number'],
      ['owen.clarke@', 'email'],
      [owen.studentId.slice(-8), 'student number'],
      ['clarke', 'name'],
    ] as const) {
      await search.fill(q);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => results.locator('caption').textContent())
        .toBe(`1 student matching "${q}", by name`);
      expect(await results.locator('tbody tr').textContent()).toContain('Owen Clarke');
      expect(await results.locator('tbody tr').textContent()).toContain(matchedBy);
    }
    await look(page, '33-registry-search');

    // sort by cohort, then the other way
    await search.fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => results.locator('caption').textContent()).toBe('42 students, by name');
    await results.getByRole('button', { name: /^Cohort/ }).click();
    await expect.poll(() => results.locator('caption').textContent()).toBe('42 students, by cohort');
    expect(await results.locator('th[aria-sort="ascending"]').textContent()).toContain('Cohort');
    expect(await page.locator(':focus').getAttribute('data-sort')).toBe('cohort');
    // an applicant with no cohort yet (the demo's NPQ application) sorts first; then the cohorts in order
    const first = await results.locator('tbody tr').nth(1).textContent();
    expect(first).toContain('blended-2024-spring-online');
    await page.keyboard.press('Enter'); // the focused header button: the other way
    await expect.poll(() => results.locator('th[aria-sort="descending"]').count()).toBe(1);
    expect(await results.locator('tbody tr').first().textContent()).toContain('swc-2024-spring-exeter');
    await look(page, '34-registry-students-sorted');
    expect(errors).toEqual([]);
    await context.close();
  });
});
