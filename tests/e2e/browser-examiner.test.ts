import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { applyAndEnrol, createCohort, recordHeldBoard, staff } from '../../src/demo/journeys.ts';
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

// An external examiner replays a student's record as the exam board knew it. The history here is
// recorded over months (the clock moves), and one partner-school visit that happened before the board
// was entered after it: "as known at the board" leaves it out and marks it "recorded later"; "as it had
// happened" counts it, still marked. An examiner's default is the view the board had.

const COHORT = 'known-2024-spring';

describe.skipIf(!haveChromium)('an examiner replays as known at the board (headless Chromium)', () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  let token = '';
  let kim = '';

  async function look(page: Page, name: string) {
    expect(await lookAtBothWidths(page, name), `problems on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    const t = await testLedger('2024-01-08');
    ledger = t.ledger;
    const plan = {
      cohortId: COHORT,
      spec: ledger.reference.specification('blended-3module', 1),
      startsOn: '2024-01-08',
      examBoardId: 'board-2024-07',
      examBoardOn: '2024-07-12',
    };
    await createCohort(ledger, plan);
    kim = await applyAndEnrol(ledger, plan, { ...applicant(1), fullName: 'Kim Lowe' });
    const run = (
      name: Parameters<Ledger['execute']>[1],
      data: unknown,
      actor = staff.tutor as typeof staff.tutor | typeof staff.registry,
    ) => ledger.execute(kim, name, data, { actor });
    t.setToday('2024-03-01');
    await run('recordWebexAttendance', {
      sessionId: 'webex-M1-1',
      moduleCode: 'M1',
      attendedOn: '2024-01-08',
    });
    await run('recordPartnerSchoolVisit', {
      school: { name: 'Hillside Academy' },
      phase: 'secondary',
      visitedOn: '2024-02-01',
      moduleCode: 'M1',
      hours: 5,
    });
    await run('submitAssignment', { moduleCode: 'M1', attempt: 1, kind: 'final', submittedOn: '2024-03-01' });
    t.setToday('2024-04-01');
    await run('markAssignment', { moduleCode: 'M1', attempt: 1, mark: 64, markedOn: '2024-04-01' });
    t.setToday('2024-07-12');
    await recordHeldBoard(ledger, plan); // recorded on the day it sits, not when the cohort was created
    await run('ratifyMarks', { examBoardId: 'board-2024-07', boardDate: '2024-07-12' }, staff.registry);
    // entered late: the second M1 visit happened in June, before the board, but was recorded in August
    t.setToday('2024-08-01');
    await run('recordPartnerSchoolVisit', {
      school: { name: 'Brook Special School' },
      phase: 'special',
      visitedOn: '2024-06-01',
      moduleCode: 'M1',
      hours: 6,
    });
    t.setToday('2026-10-01');

    const tokens = new MemoryTokenStore();
    token = tokens.create({ id: staff.examiner.id, role: 'examiner', label: 'browser test examiner' });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('shows what the board knew, marks what was recorded later, and compares with what had happened', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/students/${kim}/history`);
    await page.getByRole('heading', { level: 1, name: /^History of Student / }).waitFor();
    await settled(page);
    expect(await page.getByLabel(/^As known at the end of that day/).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'board-2024-07, 12 Jul 2024' }).click();
    expect(page.url()).toContain('?date=2024-07-12&as=known');

    const result = page.getByTestId('replay-result');
    await expect
      .poll(() => result.locator('h3').first().textContent())
      .toBe('As known at the end of 12 Jul 2024');
    const late = page.locator('.timeline__entry', { hasText: 'Brook Special School' });
    expect(await late.getAttribute('class')).toContain('is-future');
    expect(await late.locator('.timeline__recorded-later').textContent()).toBe(
      'Recorded later, on 1 Aug 2024',
    );
    expect(await page.getByTestId('replay-position').textContent()).toMatch(
      /^As known at the end of 12 Jul 2024: \d+ of \d+ events had been recorded; 1 was recorded later\.$/,
    );
    const visitsRule = result.locator('.rule-list li', { hasText: 'Partner-school days' });
    expect(await visitsRule.textContent()).toContain('1 of 5 partner-school days recorded');
    const m1 = result.locator('tbody tr').first();
    expect(await m1.textContent()).toContain('64');
    expect(await m1.textContent()).toContain('Ratified');
    await look(page, '40-examiner-as-known-at-board');

    // what had happened by then: the late visit counts, and is still marked as recorded later
    await page.getByLabel(/^As it had happened by then/).check();
    await expect.poll(() => result.locator('h3').first().textContent()).toBe('As it stood on 12 Jul 2024');
    expect(await late.getAttribute('class')).not.toContain('is-future');
    expect(await late.locator('.timeline__recorded-later').isVisible()).toBe(true);
    await expect.poll(() => visitsRule.textContent()).toContain('2 of 5 partner-school days recorded');
    expect(page.url()).toContain('?date=2024-07-12&as=happened');
    await look(page, '41-examiner-as-happened');

    // no names, nowhere
    expect(await page.locator('body').textContent()).not.toContain('Kim Lowe');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads the cohort register and mark grid by student id, with nothing to enter', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token);
    await page.goto(`${base}/#/cohorts/${COHORT}/register`);
    await page.getByRole('heading', { level: 1, name: /^Register: / }).waitFor();
    await settled(page);
    expect(await page.getByTestId('register-form').count()).toBe(0);
    expect(await page.locator('.table--grid').textContent()).toContain(`Student ${kim.slice(-8)}`);
    await page.getByRole('link', { name: 'Marks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /^Marks: / }).waitFor();
    await settled(page);
    expect(await page.locator('main input').count()).toBe(0);
    expect(await page.getByTestId('mark').textContent()).toBe('64');
    await look(page, '42-examiner-marks');
    expect(await page.locator('body').textContent()).not.toContain('Kim Lowe');
    expect(errors).toEqual([]);
    await context.close();
  });
});
