import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityAudit } from './accessibility-audit.js';

// Driving the web pages in Debian's Chromium (the machine's network is closed, so a browser that
// downloads itself cannot work): where it lives, how it is launched, signing in, screenshots, and a
// small accessibility audit run on every page the tests visit.

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export const LAUNCH = {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export const SCREENSHOTS = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

/** A fresh browser context (its own sessionStorage) on a laptop-sized screen, with page errors kept. */
export async function openPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // a refused request is logged by the browser; the pages show those themselves
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** Signs in through the sign-in page, by keyboard: the token field has focus when the page opens. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/#/sign-in`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="signed-in-role"]').waitFor();
}

/** Waits until the page has rendered its main content (the router has swapped the loading message out). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main:not([aria-busy])').waitFor();
  await page.locator('main .loading').first().waitFor({ state: 'detached' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The accessibility audit (support/accessibility-audit.js) run in the page. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(accessibilityAudit);
}
