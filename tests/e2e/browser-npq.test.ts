import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// An NPQ for SENCOs participant in the pages, as naturally as a National Award student: the record, the
// decision with its participation rule and its statutory duty, in plain words, and the cohort's register
// with its sessions and activities. Skipped, and saying so, where there is no Chromium.

const SUITE = haveChromium
  ? 'an NPQ participant in the pages (headless Chromium)'
  : 'an NPQ participant in the pages (skipped: chromium is needed, apt-get install chromium)';

describe.skipIf(!haveChromium)(SUITE, () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  const tokens = new MemoryTokenStore();
  const token: Record<string, string> = {};

  beforeAll(async () => {
    ({ ledger } = await testLedger('2026-12-01'));
    await loadDemo(ledger);
    for (const actor of [staff.registry, staff.tutor])
      token[actor.role] = tokens.create({ id: actor.id, role: actor.role, label: `npq ${actor.role}` });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('shows the awarded NPQ, its participation rule and the duty it satisfies, every figure in words', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.registry!);
    await settled(page);
    await page.getByRole('link', { name: 'Asha Begum' }).click();
    await page.getByRole('heading', { level: 1, name: 'Asha Begum' }).waitFor();
    await settled(page);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('npq-senco-bpn, version 1');
    expect(await page.getByTestId('decision-outcome').textContent()).toBe('Awarded');
    expect(await page.getByTestId('decision-summary').textContent()).toBe(
      'Eligible for the National Professional Qualification for Special Educational Needs Co-ordinators.',
    );
    expect(await page.getByTestId('decision-duty').textContent()).toMatch(
      /^Satisfied: Started on 2024-10-07/,
    );
    expect(await page.locator('[data-rule="participation"]').textContent()).toContain('Met');
    const figureNames = await page.locator('.figures dt').allTextContents();
    expect(figureNames.filter((n) => /\b[a-z]+[A-Z]\w*|\.\w|^[a-z]/.test(n))).toEqual([]);
    expect(await lookAtBothWidths(page, '60-npq-record')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a participant below the threshold what is missing, and the register its sessions and activities', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, base, token.registry!);
    await settled(page);
    await page.getByRole('link', { name: 'Chloe Nash' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chloe Nash' }).waitFor();
    await settled(page);
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Take part in 5 more of the sessions and activities');
    expect(await lookAtBothWidths(page, '61-npq-below-threshold')).toEqual([]);
    await page.goto(`${base}/#/cohorts/npq-2024-autumn-online/register`);
    await settled(page);
    await expect.poll(() => page.locator('main').textContent()).toContain('Activity: activity-1');
    expect(errors).toEqual([]);
    await context.close();
  });
});
