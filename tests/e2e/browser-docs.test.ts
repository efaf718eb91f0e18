import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { buildServer } from '../../src/server.ts';
import { testLedger } from '../support/ledger.ts';
import { haveChromium, LAUNCH, listenLocally, openPage } from './support/browser.ts';

// The API document's page (/docs, Swagger UI) under the security headers' Content-Security-Policy
// (src/http/security-headers.ts): it renders every operation, and the browser reports no violation of
// the policy (a script, style or image it refused).

const SUITE = haveChromium
  ? '/docs in headless Chromium'
  : '/docs in headless Chromium (skipped: chromium is needed, apt-get install chromium)';

describe.skipIf(!haveChromium)(SUITE, () => {
  let ledger: Ledger;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    ({ ledger } = await testLedger('2026-12-01'));
    app = await buildServer({ ledger, tokens: new MemoryTokenStore(), logLevel: 'silent' });
    base = await listenLocally(app);
    browser = await chromium.launch(LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ledger?.stop();
  });

  it('renders the API document with every operation, and nothing refused by the policy', async () => {
    const { context, page, errors } = await openPage(browser);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    // in the page, before its scripts: each violation reported back
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    });
    const answer = await page.goto(`${base}/docs`);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page
      .locator('.swagger-ui .info .title')
      .getByText('NASENCO ledger')
      .waitFor()
      .catch((error) => {
        throw new Error(`${error}: violations ${violations.join(', ')}; errors ${errors.join(', ')}`);
      });
    const operations = page.locator('.opblock');
    await expect.poll(() => operations.count()).toBeGreaterThan(60);
    // an operation opens and shows who may call it
    await page.locator('.opblock-summary-path[data-path="/students"]').first().click();
    await page.locator('.opblock.is-open .opblock-description-wrapper').getByText('Roles:').waitFor();
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
