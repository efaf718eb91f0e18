import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { applyAndEnrol, createCohort, staff } from '../../src/demo/journeys.ts';
import { buildServer } from '../../src/server.ts';
import { applicant, testLedger } from '../support/ledger.ts';
import {
  haveChromium,
  LAUNCH,
  listenLocally,
  lookAtBothWidths,
  openPage,
  settled,
  signIn,
} from './support/browser.ts';

// A tutor's day in the pages, in headless Chromium: taking a register (by keyboard), recording a
// catch-up and a partner-school visit, entering and moderating marks (and a capped resubmission), and
// signing off a learning outcome by ticking the student's evidence. Every refusal is shown beside the
// field it names and writes nothing. Screenshots at desktop and 375 px go to tests/artifacts/screenshots/.

const COHORT = 'tutor-2024-spring';

describe.skipIf(!haveChromium)('a tutor in the pages (headless Chromium)', () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  let token = '';
  const id: Record<string, string> = {};

  async function look(page: Page, name: string) {
    expect(await lookAtBothWidths(page, name), `problems on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    // the history is entered as it happened: the resubmission is permitted after the July board
    const t = await testLedger('2024-07-15');
    ledger = t.ledger;
    const plan = {
      cohortId: COHORT,
      spec: ledger.reference.specification('blended-3module', 1),
      startsOn: '2024-01-08',
      examBoardId: 'board-2024-07',
      examBoardOn: '2024-07-12',
    };
    await createCohort(ledger, plan);
    for (const [n, name] of [
      [1, 'Ada Ray'],
      [2, 'Ben Cole'],
      [3, 'Cal Dunn'],
    ] as const)
      id[name] = await applyAndEnrol(ledger, plan, { ...applicant(n), fullName: name });
    // Cal failed M1 at the board and may resubmit (capped at the pass mark)
    const cal = id['Cal Dunn']!;
    const run = (
      name: Parameters<Ledger['execute']>[1],
      data: unknown,
      actor: typeof staff.tutor | typeof staff.registry,
    ) => ledger.execute(cal, name, data, { actor });
    await run(
      'submitAssignment',
      { moduleCode: 'M1', attempt: 1, kind: 'final', submittedOn: '2024-03-01' },
      staff.tutor,
    );
    await run(
      'markAssignment',
      { moduleCode: 'M1', attempt: 1, mark: 42, markedOn: '2024-03-20' },
      staff.tutor,
    );
    await run('ratifyMarks', { examBoardId: 'board-2024-07', boardDate: '2024-07-12' }, staff.registry);
    await run('permitResubmission', { moduleCode: 'M1', deadline: '2024-10-31' }, staff.registry);
    t.setToday('2026-10-01');

    const tokens = new MemoryTokenStore();
    token = tokens.create({ id: staff.tutor.id, role: 'tutor', label: 'browser test tutor' });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('takes a register by keyboard, is refused an absence without a reason, and records the catch-up', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/cohorts/${COHORT}`);
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /^Register: / }).waitFor();
    await settled(page);
    expect(await page.getByLabel('Session').inputValue()).toBe('webex-M1-1');
    expect(await page.getByLabel('Date', { exact: true }).inputValue()).toBe('2024-01-08');

    // Ada attended: by keyboard, from "Not recorded" two steps back to "Attended"
    const ada = page.locator(`tr[data-student="${id['Ada Ray']}"]`);
    await ada.getByLabel('Not recorded').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await ada.getByLabel('Attended').isChecked()).toBe(true);
    // Ben is absent, but no reason is given yet
    const ben = page.locator(`tr[data-student="${id['Ben Cole']}"]`);
    await ben.getByLabel('Absent (reported)').check();
    const head = await ledger.store.headPosition();
    await page.getByRole('button', { name: 'Save the register' }).click();
    const saved = page.getByTestId('register-saved');
    await expect.poll(() => saved.textContent()).toBe('1 mark saved. 1 refused: see the student marked.');
    expect(await ben.locator('.field__error:visible').textContent()).toBe(
      'Error: must give a reason of at least 3 characters',
    );
    expect(await ben.getByLabel('Reason Ben Cole was absent').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(':focus').getAttribute('name')).toBe('reason');
    expect(ledger.queries.record(id['Ben Cole']!).webex['webex-M1-1']).toBeUndefined(); // nothing written for Ben
    expect(await ledger.store.headPosition()).toBe(head + 1n); // Ada's attendance only
    await look(page, '20-tutor-register-refused');

    await ben.getByLabel('Reason Ben Cole was absent').fill('Ofsted inspection');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await expect.poll(() => saved.textContent()).toBe('1 mark saved.');

    // the absence waits for its catch-up; record it
    const catchUp = page.locator(`.catch-up[data-student="${id['Ben Cole']}"]`);
    await catchUp.getByLabel('Caught up on').fill('2024-01-20');
    await catchUp.getByLabel('How').fill('Watched the recording and discussed it with the tutor');
    await catchUp.getByRole('button', { name: 'Record the catch-up' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('No reported absence is waiting for its catch-up.');
    const overview = page.locator('.table--grid').first();
    expect(await overview.locator('tr', { hasText: 'Ada Ray' }).textContent()).toContain(
      'Attended 8 Jan 2024',
    );
    expect(await overview.locator('tr', { hasText: 'Ben Cole' }).textContent()).toContain(
      'Caught up 20 Jan 2024',
    );
    expect(ledger.queries.record(id['Ben Cole']!).webex['webex-M1-1']?.catchUp).not.toBeNull();
    await look(page, '21-tutor-register');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('records a partner-school visit for a student and sees it against the module requirement', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/cohorts/${COHORT}/visits`);
    await page.getByRole('heading', { level: 1, name: /^Partner-school visits: / }).waitFor();
    await settled(page);
    await page.getByRole('link', { name: 'Record a visit for Ada Ray' }).click();
    const form = page.getByTestId('visit-form');
    expect(await form.getByLabel('Student').inputValue()).toBe(id['Ada Ray']);
    await form.getByLabel('School', { exact: true }).fill('Hillside Academy');
    await form.getByLabel('Phase').selectOption('secondary');
    await form.getByLabel('Date of the visit').fill('2024-02-01');
    await form.getByLabel('Module').selectOption('M1');
    await form.getByLabel('Hours').fill('20');
    await form.getByRole('button', { name: 'Record the visit' }).click();
    const hours = form.locator('.field--error', { has: page.getByLabel('Hours') });
    await expect
      .poll(() => hours.locator('.field__error').textContent())
      .toBe('Error: a visit day is at most 12 hours');
    expect(ledger.queries.record(id['Ada Ray']!).visits).toEqual([]);
    await look(page, '22-tutor-visit-refused');

    await form.getByLabel('Hours').fill('5');
    await form.getByRole('button', { name: 'Record the visit' }).click();
    await expect
      .poll(() => page.getByTestId('visit-recorded').textContent())
      .toBe('Visit recorded for Ada Ray: M1, 1 Feb 2024.');
    expect(await page.getByTestId('visit-list').textContent()).toContain(
      'Hillside Academy, Secondary, M1, 5 h',
    );
    const row = page.locator(`.table--visits tr[data-student="${id['Ada Ray']}"]`);
    expect(await row.textContent()).toContain('1 of 2 days');
    await look(page, '23-tutor-visits');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('enters a submission and a mark, is refused a mark over 100, moderates it, and marks a capped resubmission', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/cohorts/${COHORT}/marks`);
    await page.getByRole('heading', { level: 1, name: /^Marks: / }).waitFor();
    await settled(page);
    expect(await page.getByTestId('pass-mark').textContent()).toBe('50');
    expect(await page.getByTestId('resubmission-cap').textContent()).toBe(
      'is capped at 50: a higher mark counts as 50',
    );
    const ada = () => page.locator(`tr[data-student="${id['Ada Ray']}"]`);
    await ada().getByLabel('Submitted on, Ada Ray').fill('2024-03-01');
    await ada().getByRole('button', { name: 'Record the submission for Ada Ray' }).click();
    await ada().getByLabel('Mark, Ada Ray').waitFor();
    expect(await ada().textContent()).toContain('1 Mar 2024');

    await ada().getByLabel('Mark, Ada Ray').fill('101');
    await ada().getByLabel('Marked on, Ada Ray').fill('2024-03-20');
    await ada().getByLabel('Mark, Ada Ray').press('Enter'); // Enter in the row saves the row
    await expect
      .poll(() => ada().locator('.field__error').first().textContent())
      .toBe('Error: must be between 0 and 100');
    expect(ledger.queries.record(id['Ada Ray']!).modules.M1![0]!.markChain).toBeNull();
    await look(page, '24-tutor-mark-refused');

    await ada().getByLabel('Mark, Ada Ray').fill('64');
    await ada().getByRole('button', { name: 'Save the mark for Ada Ray' }).click();
    await expect.poll(() => ada().getByTestId('mark').textContent()).toBe('64');
    expect(await ada().textContent()).toContain('Provisional');
    expect(await ada().textContent()).toContain('tutor-1, 20 Mar 2024');

    await ada().getByText('Moderate this mark').click();
    await ada().getByLabel('Moderated mark, Ada Ray').fill('60');
    await ada().getByLabel('Moderated on, Ada Ray').fill('2024-03-25');
    await ada().getByRole('button', { name: 'Moderate for Ada Ray' }).click();
    await expect.poll(() => ada().getByTestId('mark').textContent()).toBe('60');
    expect(await ada().textContent()).toContain('Moderated to 60 by tutor-1, 25 Mar 2024');
    await look(page, '25-tutor-marks');

    // Cal's resubmission: open because registry permitted it, capped at the pass mark
    await page.getByLabel('Attempt', { exact: true }).selectOption('2');
    await page.getByRole('heading', { level: 2, name: /resubmission \(attempt 2\)/ }).waitFor();
    await settled(page);
    const cal = () => page.locator(`tr[data-student="${id['Cal Dunn']}"]`);
    expect(await page.locator('main').textContent()).toContain('1 student may resubmit');
    expect(await ada().textContent()).toContain('no resubmission permitted');
    expect(await cal().textContent()).toContain('due by 31 Oct 2024');
    await cal().getByLabel('Submitted on, Cal Dunn').fill('2024-09-01');
    await cal().getByRole('button', { name: 'Record the submission for Cal Dunn' }).click();
    await cal().getByLabel('Mark, Cal Dunn').fill('65');
    await cal().getByLabel('Marked on, Cal Dunn').fill('2024-09-20');
    await cal().getByRole('button', { name: 'Save the mark for Cal Dunn' }).click();
    await expect.poll(() => cal().getByTestId('mark').textContent()).toBe('50');
    expect(await cal().textContent()).toContain('(65, capped at 50)');
    await look(page, '26-tutor-marks-resubmission');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("signs off an outcome by ticking the student's evidence, never typing an event id", async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/students/${id['Ada Ray']}`);
    await page.getByRole('link', { name: 'Learning outcomes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Learning outcomes: Ada Ray' }).waitFor();
    await settled(page);
    const a11 = () => page.locator('tr[data-outcome="A1.1"]');
    expect(await a11().textContent()).toContain('Add evidence first');
    expect(await page.getByTestId('outcome-counts').textContent()).toContain('Due 14');

    const evidence = page.getByTestId('evidence-form');
    await evidence.getByLabel('Outcome').selectOption('A1.1');
    await evidence.getByLabel('Reference').fill('portfolio/A1.1-send-policy-review.pdf');
    await evidence.getByLabel('Submitted on').fill('2024-05-01');
    await evidence.getByRole('button', { name: 'Add the evidence' }).click();
    const form = page.getByTestId('sign-off-A1.1');
    await form.waitFor();
    const box = form.getByLabel('document: portfolio/A1.1-send-policy-review.pdf');
    expect(await box.isChecked()).toBe(true);

    // without any evidence ticked the sign-off is refused, beside the evidence
    await box.uncheck();
    await form.getByLabel('Signed off on (A1.1)').fill('2024-05-10');
    await form.getByRole('button', { name: 'Sign off A1.1' }).click();
    await expect
      .poll(() => form.locator('.field__error:visible').textContent())
      .toBe('Error: a sign-off names the evidence it rests on');
    expect(ledger.queries.record(id['Ada Ray']!).outcomes['A1.1']?.signOff).toBeNull();
    await look(page, '27-tutor-sign-off-refused');

    await box.check();
    await form.getByRole('button', { name: 'Sign off A1.1' }).click();
    await expect.poll(() => a11().textContent()).toContain('10 May 2024 by tutor-1');
    expect(await a11().textContent()).toContain('Signed off');
    expect(await page.getByTestId('outcome-counts').textContent()).toContain('Due 13');
    const signOff = ledger.queries.record(id['Ada Ray']!).outcomes['A1.1']!;
    expect(signOff.signOff?.assessorId).toBe('tutor-1');
    await page.getByLabel('Show only the outcomes still to sign off').check();
    await expect.poll(() => page.locator('tr[data-outcome="A1.1"]').count()).toBe(0);
    await look(page, '28-tutor-outcomes');
    expect(errors).toEqual([]);
    await context.close();
  });
});
