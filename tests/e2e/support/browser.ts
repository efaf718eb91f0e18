import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityAudit } from './accessibility-audit.js';
import { horizontalOverflow } from './overflow.js';

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
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // a wait that cannot succeed fails in 10 s, naming what it waited for, before the test's own timeout
  page.setDefaultTimeout(10_000);
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

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 812 };

/**
 * Looks at the page as a person would on a laptop and on a phone: a full-page screenshot at each width
 * (NAME.png and NAME-375.png), the accessibility audit at each, and at 375 px whether anything is wider
 * than the screen (the page must not scroll sideways). Returns the problems found, empty when none.
 */
export async function lookAtBothWidths(page: Page, name: string): Promise<string[]> {
  await settled(page);
  await screenshot(page, name);
  const problems = (await accessibilityProblems(page)).map((p) => `desktop: ${p}`);
  await page.setViewportSize(PHONE);
  await page.waitForFunction('window.innerWidth === 375');
  await screenshot(page, `${name}-375`);
  problems.push(...(await accessibilityProblems(page)).map((p) => `375 px: ${p}`));
  const overflow = await page.evaluate(horizontalOverflow);
  if (overflow) problems.push(`375 px: ${overflow}`);
  await page.setViewportSize(DESKTOP);
  await page.waitForFunction('window.innerWidth === 1366');
  return problems;
}

/** Starts the server on a free local port and gives the address the browser opens. */
export async function listenLocally(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
