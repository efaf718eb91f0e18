import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { creditsRule, enrolmentRule, rules } from '../../src/domain/rules/index.ts';
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

// The web pages, driven in headless Chromium against the ledger with its demo data, in-process. Each
// scenario signs in as a role in its own browser context, keeps a screenshot of each page it visits at
// desktop width and at 375 px (tests/artifacts/screenshots/), and runs a small accessibility audit and
// a check that nothing is wider than a phone's screen.

const REQUIRED = process.env.REQUIRE_BROWSER === '1';
if (!haveChromium && !REQUIRED)
  console.warn('browser tests skipped: chromium is needed (apt-get install chromium), at /usr/bin/chromium');

describe('a browser is available when REQUIRE_BROWSER=1', () => {
  it.runIf(REQUIRED)('finds /usr/bin/chromium', () => {
    expect(haveChromium, 'chromium is needed for the browser tests: apt-get install chromium').toBe(true);
  });
});

const SUITE = haveChromium
  ? 'web pages in headless Chromium'
  : 'web pages in headless Chromium (skipped: chromium is needed, apt-get install chromium)';

describe.skipIf(!haveChromium)(SUITE, () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  const tokens = new MemoryTokenStore();
  const token: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const idOf = (name: string) => {
    for (const record of ledger.queries.records())
      if (ledger.queries.personalDetails(record)?.fullName === name) return record.studentId;
    throw new Error(`no demo student ${name}`);
  };

  /** Screenshots at both widths, the audit and the overflow check, for every page a scenario looks at. */
  async function look(page: Page, name: string) {
    expect(await lookAtBothWidths(page, name), `problems on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    // a fixed "today", so the decisions and deadlines the pages show do not drift with the calendar
    ({ ledger } = await testLedger('2026-12-01')); // on or after the demo's last fact
    await loadDemo(ledger);
    for (const name of ['Amara Okafor', 'Owen Clarke', 'Tom Hughes']) ids[name] = idOf(name);
    for (const actor of Object.values(staff))
      token[actor.role] = tokens.create({
        id: actor.id,
        role: actor.role,
        label: `browser test ${actor.role}`,
      });
    token.student = tokens.create({
      id: ids['Amara Okafor']!,
      role: 'student',
      label: 'browser test student',
    });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('signs in with a token, by keyboard, and refuses a mistyped one next to the field', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await look(page, '01-sign-in');

    await page.keyboard.type('nsl_not-a-real-token');
    await page.keyboard.press('Enter');
    const error = page.locator('.field__error');
    await expect.poll(() => error.textContent()).toContain('the token is not valid');
    expect(await page.getByLabel('Bearer token').getAttribute('aria-invalid')).toBe('true');
    await look(page, '02-sign-in-refused');

    await page.getByLabel('Bearer token').fill(token.registry!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
    expect(await page.getByTestId('signed-in-role').textContent()).toBe('Registry');
    expect(await page.getByTestId('signed-in-id').textContent()).toBe('registry-officer-1');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a registry officer reads a record at a glance and the decision with each rule and its events', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.registry!);
    await settled(page);
    expect(await page.locator('main tbody tr').count()).toBe(20);
    await look(page, '03-students');

    await page.getByRole('link', { name: 'Owen Clarke' }).click();
    await page.getByRole('heading', { level: 1, name: 'Owen Clarke' }).waitFor();
    await settled(page);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('bpn-bathspa, version 1');
    expect(await page.getByTestId('credits-earned').textContent()).toBe('30 of 60');
    // the record's status and the review banner say the same, in the same words
    expect(await page.getByTestId('record-status').textContent()).toBe('Awarded, under registry review');
    expect(await page.getByTestId('review-banner').locator('h2').textContent()).toBe(
      'Awarded, under registry review',
    );
    // every figure in plain words: no field name of the API (earnedIncludingProvisional, M1.days...)
    const figureNames = await page.locator('.figures dt').allTextContents();
    expect(figureNames.length).toBeGreaterThan(20);
    expect(figureNames.filter((n) => /\b[a-z]+[A-Z]\w*|\.\w|^[a-z]/.test(n))).toEqual([]);
    // every rule the specification calls for (a participation threshold or a programme limit it has not: none)
    const bpn = ledger.reference.specification('bpn-bathspa', 1);
    expect(await page.locator('[data-rule]').count()).toBe(rules.filter((r) => r.appliesTo(bpn)).length);
    const creditsRow = page.locator(`[data-rule="${creditsRule.id}"]`);
    expect(await creditsRow.textContent()).toContain('Not met');
    expect(await creditsRow.textContent()).toContain('Credits if the provisional passes are ratified');
    expect(await page.getByTestId('correction-form').count()).toBe(0); // registry staff do not correct marks
    await look(page, '04-student-record');

    // each rule links to the events behind it: follow one to the history, where it is shown
    await page.locator(`[data-rule="${enrolmentRule.id}"] a`).first().click();
    await page.getByRole('heading', { level: 1, name: 'History of Owen Clarke' }).waitFor();
    await settled(page);
    const target = page.locator('.timeline__entry.is-target');
    await expect.poll(() => target.getAttribute('data-type')).toBe('StudentEnrolled');
    expect(await page.locator(':focus').getAttribute('data-type')).toBe('StudentEnrolled');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an examiner replays a student to the exam-board date', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.examiner!);
    await settled(page);
    const list = await page.locator('main').textContent();
    expect(list).not.toContain('Owen Clarke'); // examiners work from student ids, not names
    expect(list).toContain(ids['Owen Clarke']);

    const owen = ids['Owen Clarke']!;
    await page.goto(`${base}/#/students/${owen}/history`);
    await page.getByRole('heading', { level: 1, name: /^History of Student / }).waitFor();
    await settled(page);
    // the correction after the board is in the timeline, linked to the mark it corrects
    const correction = page.locator('.timeline__entry[data-type="MarkCorrected"]');
    expect(await correction.textContent()).toContain('Corrects: Marked 52 for RA1');
    expect(
      await page.locator('.timeline__entry[data-type="AssignmentMarked"]').first().textContent(),
    ).toContain('Corrected by');

    await page.getByLabel('Show only corrections and the events they changed').check();
    await expect.poll(() => page.locator('.timeline__entry:visible').count()).toBe(2); // the mark and its correction
    await page.getByLabel('Show only corrections and the events they changed').uncheck();

    // the demo was recorded all at once, after the board: as the board knew it, nothing was recorded yet
    expect(await page.getByLabel(/^As known at the end of that day/).isChecked()).toBe(true); // an examiner's default
    await page.getByRole('button', { name: 'bsu-board-2024-07, 12 Jul 2024' }).click();
    await expect
      .poll(() => page.getByTestId('replay-result').textContent())
      .toContain('Nothing about this student had been recorded by the end of 12 Jul 2024');
    await page.getByLabel(/^As it had happened by then/).check();
    const result = page.getByTestId('replay-result');
    await expect.poll(() => result.getByTestId('replay-credits').textContent()).toBe('60 of 60 credits');
    expect(await result.getByTestId('now-credits').textContent()).toBe('30 of 60 credits');
    expect(page.url()).toContain('?date=2024-07-12&as=happened');
    const ra1 = result.locator('tbody tr').first();
    expect(await ra1.textContent()).toContain('52');
    expect(await ra1.textContent()).toContain('Ratified');
    expect(await correction.getAttribute('class')).toContain('is-future'); // not yet happened then
    await look(page, '05-examiner-replay-exam-board');

    // step through by keyboard: the last step is the correction, the one before it the conferral
    const slider = page.getByLabel('Step through the history');
    await slider.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('replay-position').textContent())
      .toMatch(/^Step 52 of 53: Conferred/);
    await expect.poll(() => result.getByTestId('replay-outcome').textContent()).toBe('Awarded');
    expect(await page.locator('.timeline__entry.is-current').getAttribute('data-type')).toBe(
      'AwardConferred',
    );
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => result.getByTestId('replay-credits').textContent()).toBe('30 of 60 credits');
    await look(page, '06-examiner-replay-step');

    // read-only, and no names anywhere
    await page.goto(`${base}/#/students/${owen}`);
    await page.getByRole('heading', { level: 1, name: /^Student / }).waitFor();
    await settled(page);
    expect(await page.getByTestId('correction-form').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('Owen');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an admin corrects a mark and the decision changes', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.admin!);
    const amara = ids['Amara Okafor']!;
    await page.goto(`${base}/#/students/${amara}`);
    await page.getByRole('heading', { level: 1, name: 'Amara Okafor' }).waitFor();
    await settled(page);
    expect(await page.getByTestId('decision-outcome').textContent()).toBe('Awarded');
    expect(await page.getByTestId('credits-earned').textContent()).toBe('60 of 60');

    const form = page.getByTestId('correction-form');
    const m1 = await form.locator('option', { hasText: /^M1 attempt 1: 68 / }).getAttribute('value');
    await form.getByLabel('Mark to correct').selectOption(m1!);
    await form.getByLabel('Reason for the correction').fill('x');
    const head = await ledger.store.headPosition();
    await form.getByRole('button', { name: 'Preview the correction' }).click();
    // the API's field issues appear next to their fields
    const markError = form.locator('.field--error', { has: page.getByLabel('Corrected mark') });
    await expect.poll(() => markError.locator('.field__error').textContent()).toContain('must be a number');
    expect(
      await form
        .locator('.field--error', { has: page.getByLabel('Reason for the correction') })
        .textContent(),
    ).toContain('at least 3 characters');
    expect(await page.locator(':focus').getAttribute('name')).toBe('correctedMark');
    await look(page, '07-admin-correction-errors');

    await form.getByLabel('Corrected mark').fill('40');
    await form
      .getByLabel('Reason for the correction')
      .fill('Second marking found the grade boundaries misapplied');
    // the effect is shown before anything is sent: the ledger decides it without appending
    await form.getByRole('button', { name: 'Preview the correction' }).click();
    const preview = page.getByTestId('correction-preview');
    await preview.waitFor();
    expect(await page.getByTestId('preview-decision').textContent()).toBe(
      'Decision: Awarded now, Not yet eligible after. Credits: 60 of 60 now, 40 of 60 after.',
    );
    expect(await page.getByTestId('preview-review').textContent()).toContain(
      'The conferred National Award for SEN Coordination (15 Nov 2024) will go to registry review',
    );
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('correction-preview');
    expect(await ledger.store.headPosition()).toBe(head); // nothing appended by the preview
    await look(page, '07b-admin-correction-preview');
    await preview.getByRole('button', { name: 'Append the correction' }).click();
    const result = page.getByTestId('correction-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('68 corrected to 40');
    expect(await page.getByTestId('correction-decision-change').textContent()).toBe(
      'Decision: Awarded before, Not yet eligible now. Credits: 60 of 60 before, 40 of 60 now.',
    );
    expect(await page.getByTestId('decision-outcome').textContent()).toBe('Not yet eligible');
    expect(await page.getByTestId('credits-earned').textContent()).toBe('40 of 60');
    expect(await page.getByTestId('record-status').textContent()).toBe('Awarded, under registry review');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('correction-result');
    await look(page, '08-admin-correction-result');

    // appended, never edited: the original mark is still in the history, with the correction after it
    await result.getByRole('link', { name: 'see it in the history' }).click();
    await page.getByRole('heading', { level: 1, name: 'History of Amara Okafor' }).waitFor();
    await settled(page);
    const entry = page.locator('.timeline__entry.is-target');
    await expect.poll(() => entry.getAttribute('data-type')).toBe('MarkCorrected');
    expect(await entry.textContent()).toContain('Corrects: Marked 68 for M1, attempt 1');
    expect(
      await page.locator('.timeline__entry[data-type="AssignmentMarked"]', { hasText: 'Marked 68' }).count(),
    ).toBe(1);
    await look(page, '09-history-with-correction');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a student cannot see another student', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.student!);
    await page.getByRole('heading', { level: 1, name: 'Amara Okafor' }).waitFor(); // lands on their own record
    await settled(page);
    const nav = await page.locator('#site-nav').textContent();
    expect(nav).toContain('My record');
    expect(nav).not.toContain('Cohorts');
    await look(page, '10-student-own-record');

    await page.goto(`${base}/#/students/${ids['Tom Hughes']}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Not allowed');
    expect(await alert.textContent()).toContain('A student may read only their own record.');
    expect(await page.locator('body').textContent()).not.toContain('Tom Hughes');
    await look(page, '11-student-forbidden');

    await page.goto(`${base}/#/cohorts`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('you are student');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the cohort page shows who is missing what, who is at risk, and the exam-board marks with an export', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.registry!);
    await page.goto(`${base}/#/cohorts/blended-2024-spring-online`);
    await page.getByRole('heading', { level: 2, name: 'Who is missing what' }).waitFor();
    await settled(page);
    const missing = page.locator('.table--missing tbody tr');
    expect(await missing.count()).toBe(5);
    // Nia withdrew: listed apart, neither among those missing something nor among those at risk
    expect(await page.getByTestId('withdrawn').textContent()).toContain('Nia Williams');
    expect(await page.locator('.table--missing').textContent()).not.toContain('Nia Williams');
    await page.getByLabel('Show').first().selectOption('marks');
    await expect.poll(() => missing.count()).toBeLessThan(5);
    const atRisk = page.locator('.table--at-risk').first();
    expect(await atRisk.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await atRisk.textContent()).not.toContain('Nia Williams');

    const board = page.locator('.table--exam-board tbody tr');
    const all = await board.count();
    await page.getByLabel('Show').nth(1).selectOption('provisional');
    await expect.poll(() => board.count()).toBeLessThan(all);
    for (const row of await board.all()) expect(await row.getAttribute('data-standing')).toBe('provisional');
    await page.getByLabel('Show').nth(1).selectOption('');
    await page.getByLabel('Show').first().selectOption('');
    await look(page, '12-cohort');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('exam-board-blended-2024-spring-online.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe(
      'student_id,module,credits,attempt,submitted_on,due_by,mark,capped_at,effective_mark,pass_mark,ratified,module_status,credits_earned,decision',
    );

    // the pages a registry officer reaches from the navigation
    for (const [link, name] of [
      ['Cohorts', '13-cohorts'],
      ['At risk', '14-at-risk'],
      ['Reviews', '15-reviews'],
    ] as const) {
      await page.locator('#site-nav').getByRole('link', { name: link }).click();
      await look(page, name);
    }
    expect(await page.locator('main tbody').textContent()).toContain('Owen Clarke'); // corrected after conferral
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a tutor sees their cohorts, without the exam-board export, and clear empty states', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.tutor!);
    await page.getByLabel('Name or student id').fill('nobody by this name');
    expect(await page.locator('.empty').textContent()).toBe('No students match these filters.');
    await page.goto(`${base}/#/cohorts/exp-2024-spring-bath`);
    await page.getByRole('heading', { level: 2, name: 'Exam board: marks' }).waitFor();
    await settled(page);
    expect(await page.locator('main').textContent()).toContain(
      'The exam-board view and export are for registry staff, admins and external examiners.',
    );
    await look(page, '16-tutor-cohort');
    await page.goto(`${base}/#/no-such-page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows names as text, never as markup', async () => {
    await ledger.execute(
      null,
      'submitApplication',
      {
        personal: {
          fullName: `<img src=x onerror="window.pwned=1">Eve <b>O'Neil</b>`,
          email: 'eve@school.example',
          dateOfBirth: '1984-02-03',
          teacherReferenceNumber: '1234567',
        },
        programmeId: 'blended-3module',
        school: { name: '<script>alert(1)</script> Primary', type: 'academy' },
        intake: 'autumn',
        submittedOn: '2026-09-20',
      },
      { actor: staff.registry },
    );
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.registry!);
    await settled(page);
    const link = page.getByRole('link', { name: /Eve/ });
    expect(await link.textContent()).toBe(`<img src=x onerror="window.pwned=1">Eve <b>O'Neil</b>`);
    expect(await page.locator('main img, main b').count()).toBe(0);
    await link.click();
    await page.getByRole('heading', { level: 1, name: /Eve/ }).waitFor();
    await settled(page);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
