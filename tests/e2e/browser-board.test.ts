import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { staff } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { SqliteKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { CheckpointWriter, checkAnchors } from '../../src/store/anchor.ts';
import { CheckpointBook } from '../../src/store/checkpoints.ts';
import { testLedger } from '../support/ledger.ts';
import {
  haveChromium,
  LAUNCH,
  listenLocally,
  lookAtBothWidths,
  openPage,
  SCREENSHOTS,
  settled,
  signIn,
} from './support/browser.ts';

// A registry officer runs an exam board in the pages, in headless Chromium, on the demo's blended cohort
// (Leon's M1 mark is provisional and his mitigating-circumstances claim waits for a board; Priya's
// certificate is due): records the board (refused first, with no examiner present), ratifies the marks
// after a preview, decides the claim and records an outcome (each refused once, beside its field, with
// nothing written), confers every eligible student in one action with the others listed with reasons,
// prints the board's record with the signed checkpoint written as the board was recorded; then resolves
// an award review from the Reviews page. The ledger writes checkpoints as the server does.

const COHORT = 'blended-2024-spring-online';

describe.skipIf(!haveChromium)(
  'a registry officer runs an exam board in the pages (headless Chromium)',
  () => {
    let ledger: Ledger;
    let app: FastifyInstance;
    let browser: Browser;
    let writer: CheckpointWriter;
    let keys: SqliteKeyStore;
    let dir = '';
    let base = '';
    let token = '';
    let examinerToken = '';
    const named = new Map<string, string>();

    async function look(page: Page, name: string) {
      expect(await lookAtBothWidths(page, name), `problems on ${name}`).toEqual([]);
    }
    const idOf = (name: string) => named.get(name)!;

    beforeAll(async () => {
      ({ ledger } = await testLedger('2026-12-01')); // on or after the demo's last fact
      await loadDemo(ledger);
      for (const r of ledger.queries.records())
        named.set(ledger.queries.personalDetails(r)?.fullName ?? r.studentId, r.studentId);
      dir = mkdtempSync(join(tmpdir(), 'board-browser-'));
      keys = new SqliteKeyStore(join(dir, 'keys.db'));
      const book = new CheckpointBook(join(dir, 'checkpoints'), keys, 'memory');
      const anchor = await checkAnchors(ledger.store, book);
      writer = new CheckpointWriter(ledger.store, book, anchor.running, anchor.latest, {
        everyMs: 3_600_000,
      });
      await writer.start();
      const tokens = new MemoryTokenStore();
      token = tokens.create({ id: staff.registry.id, role: 'registry', label: 'browser test registry' });
      examinerToken = tokens.create({ id: 'examiner-1', role: 'examiner', label: 'External examiner One' });
      app = await buildServer({ ledger, tokens, checkpoints: book, logLevel: 'silent' });
      base = await listenLocally(app);
      browser = await chromium.launch(LAUNCH);
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await writer?.stop();
      await ledger?.stop();
      keys?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('records a board, ratifies, decides, confers every eligible student and prints the record', async () => {
      const { context, page, errors } = await openPage(browser);
      await signIn(page, base, token);
      await page.goto(`${base}/#/cohorts/${COHORT}`);
      await page.getByRole('link', { name: 'Exam board', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Exam board board-2024-11' }).waitFor();
      await look(page, '50-registry-board-workspace');

      // no examiner ticked: refused beside the examiners, nothing written
      const head = await ledger.store.headPosition();
      const record = page.getByTestId('new-board-form');
      await page.getByText('Record a board that met').click();
      await record.getByLabel('Board id').fill('board-2026-12');
      await record.getByLabel('Held on').fill('2026-12-01');
      await record.getByRole('button', { name: 'Record the board' }).click();
      const examiners = record.locator('fieldset');
      await expect
        .poll(() => examiners.locator('.field__error').textContent())
        .toMatch(/^Error: .*examiner.*\(no_external_examiner\)$/);
      expect(await ledger.store.headPosition()).toBe(head);
      await look(page, '51-registry-board-refused');
      await record.getByLabel('examiner-1').check();
      await record.getByRole('button', { name: 'Record the board' }).click();
      await page.getByRole('heading', { level: 1, name: 'Exam board board-2026-12' }).waitFor();
      await settled(page);
      expect(await page.getByTestId('board-recorded').textContent()).toContain('held on 1 Dec 2026');
      expect(ledger.queries.findCohort(COHORT)?.examBoards.map((b) => b.examBoardId)).toContain(
        'board-2026-12',
      );

      // ratify: the preview appends nothing and names who and why; then ratify
      const ratify = page.getByTestId('ratify-panel');
      const beforeRatify = await ledger.store.headPosition();
      await ratify.getByRole('button', { name: 'Preview the ratification' }).click();
      await expect
        .poll(() => page.getByTestId('ratify-preview-summary').textContent())
        .toBe(
          'Nothing is ratified yet: 1 student would have marks ratified, 4 have none to ratify, 1 refused.',
        );
      expect(await ledger.store.headPosition()).toBe(beforeRatify);
      const results = page.getByTestId('ratify-results');
      expect(await results.locator('[data-group="applied"] tbody tr').textContent()).toContain(
        'Leon BaptisteWould ratifyM1 attempt 1: 57',
      );
      expect(await results.locator('[data-group="refused"] tbody tr').textContent()).toMatch(
        /^Nia Williams.*withdrew on 2024-03-01.*student_withdrawn/,
      );
      await ratify.getByRole('button', { name: 'Ratify the marks of 1 student' }).click();
      await expect
        .poll(() => page.getByTestId('ratify-done').textContent())
        .toBe('Ratified the marks of 1 student at board-2026-12.');
      const leon = ledger.queries.record(idOf('Leon Baptiste'));
      expect(leon.markChains.get(leon.modules.M1![0]!.markChain!)!.ratified?.examBoardId).toBe(
        'board-2026-12',
      );

      // the claim: accepted with no remedy is refused beside the remedy; then a deferral of M2
      const claim = page.getByTestId('claim-form-mc-leon-1');
      await claim.getByLabel('Decision').selectOption('accepted');
      await claim.getByLabel('Reason, for the minutes').fill('GP letter confirms the bereavement');
      const beforeClaim = await ledger.store.headPosition();
      await claim.getByRole('button', { name: 'Record the decision' }).click();
      await expect
        .poll(() => claim.locator('.field--error .field__error').first().textContent())
        .toBe('Error: an accepted claim gives a deferral or an extension: name it (remedy_required)');
      expect(await claim.locator('.field--error label').first().textContent()).toBe('Remedy');
      expect(await ledger.store.headPosition()).toBe(beforeClaim);
      await look(page, '52-registry-board-claim-refused');
      await claim.getByLabel('Remedy').selectOption('deferral');
      await claim.getByLabel('Module').selectOption('M2');
      await claim.getByRole('button', { name: 'Record the decision' }).click();
      await expect
        .poll(() => page.getByTestId('claim-decided').textContent())
        .toBe('Claim mc-leon-1 of Leon Baptiste decided: accepted.');
      expect(await page.getByTestId('claims-decided').textContent()).toContain(
        'claim mc-leon-1: accepted (deferral) at board-2026-12',
      );

      // an outcome: a refer of a ratified pass is refused beside the outcome; then a pass
      await page.getByRole('button', { name: 'Record an outcome for Leon Baptiste' }).click();
      const outcome = page.getByTestId('outcome-form');
      expect(await outcome.getByLabel('Student').inputValue()).toBe(idOf('Leon Baptiste'));
      await outcome.getByLabel('Module').selectOption('M1');
      await outcome.getByLabel('Outcome', { exact: true }).selectOption('refer');
      const beforeOutcome = await ledger.store.headPosition();
      await outcome.getByRole('button', { name: 'Record the outcome' }).click();
      const outcomeField = outcome.locator('.field--error', {
        has: page.getByLabel('Outcome', { exact: true }),
      });
      await expect
        .poll(() => outcomeField.locator('.field__error').textContent())
        .toBe(
          'Error: refer contradicts attempt 1 at M1: its ratified mark 57 is a pass (outcome_contradicts_mark)',
        );
      expect(await ledger.store.headPosition()).toBe(beforeOutcome);
      await outcome.getByLabel('Outcome', { exact: true }).selectOption('pass');
      await outcome.getByRole('button', { name: 'Record the outcome' }).click();
      await expect
        .poll(() => page.getByTestId('board-decided').textContent())
        .toBe('Outcome recorded for Leon Baptiste: M1, pass.');
      expect(
        ledger.queries.record(idOf('Leon Baptiste')).boardOutcomes.map((o) => [o.moduleCode, o.outcome]),
      ).toEqual([
        ['M2', 'defer'], // the accepted claim's deferral is itself an outcome of the board
        ['M1', 'pass'],
      ]);

      // confer: who is eligible, the others with their reasons; then all eligible in one action
      const confer = page.getByTestId('confer-panel');
      const beforeConfer = await ledger.store.headPosition();
      await confer.getByRole('button', { name: 'Preview who is eligible' }).click();
      await expect
        .poll(() => page.getByTestId('confer-preview-summary').textContent())
        .toBe('Nothing is conferred yet: 1 eligible, 3 not eligible (reasons below), 2 already awarded.');
      expect(await ledger.store.headPosition()).toBe(beforeConfer);
      const conferResults = page.getByTestId('confer-results');
      expect(await conferResults.locator('[data-group="applied"] tbody tr').textContent()).toMatch(
        /^Priya ShahWould confer.*on 1 Dec 2026$/,
      );
      const others = await conferResults
        .locator('[data-group="refused"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
      expect(others).toHaveLength(3);
      expect(others.find((r) => r.startsWith('Tom Hughes'))).toMatch(
        /decision on [0-9-]+: Lapsed: .*resubmission was not handed in.*\(not_eligible\)$/,
      );
      await look(page, '53-registry-board-confer-preview');
      await confer.getByRole('button', { name: 'Confer all 1 eligible student' }).click();
      await expect
        .poll(() => page.getByTestId('confer-done').textContent())
        .toBe('Conferred 1 award at board-2026-12; 3 not conferred (reasons below).');
      expect(ledger.queries.record(idOf('Priya Shah')).awards.map((a) => a.examBoardId)).toEqual([
        'board-2026-12',
      ]);
      await look(page, '54-registry-board-done');

      // the board's record for the minutes: the checkpoint written as the board was recorded
      const minutes = page.getByTestId('board-record');
      const checkpoint = minutes.getByTestId('board-checkpoint');
      expect(await checkpoint.textContent()).toContain(`exam board board-2026-12 (cohort-${COHORT})`);
      expect(await minutes.locator('tr', { hasText: 'Priya Shah' }).textContent()).toContain('Conferred');
      expect(await minutes.locator('tr', { hasText: 'Leon Baptiste' }).textContent()).toContain(
        'M1 (attempt 1): pass',
      );
      await minutes.getByRole('button', { name: 'Verify the log now' }).click();
      await expect
        .poll(() => minutes.getByTestId('verify-result').textContent())
        .toContain('the log is intact');
      expect(await minutes.getByTestId('verify-result').textContent()).toMatch(/Head digest[0-9a-f]{64}/);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.getByTestId('confer-panel').isVisible()).toBe(false);
      expect(await minutes.isVisible()).toBe(true);
      expect(await minutes.getByRole('button', { name: 'Print the board record' }).isVisible()).toBe(false);
      await page.screenshot({ path: `${SCREENSHOTS}55-registry-board-print.png`, fullPage: true });
      await page.pdf({ path: `${SCREENSHOTS}55-registry-board-print.pdf`, format: 'A4' });
      await page.emulateMedia({ media: 'screen' });
      expect(errors).toEqual([]);
      await context.close();
    });

    it('resolves an award review from the Reviews page', async () => {
      const { context, page, errors } = await openPage(browser);
      await signIn(page, base, token);
      await page.locator('#site-nav').getByRole('link', { name: 'Reviews' }).click();
      await page.getByRole('heading', { level: 1, name: 'Awards for registry review' }).waitFor();
      await settled(page);
      const owen = idOf('Owen Clarke');
      const form = page.getByTestId(`resolve-${owen}`);
      const head = await ledger.store.headPosition();
      await form.getByRole('button', { name: 'Resolve: the award stands' }).click();
      const note = form.locator('.field--error', { has: page.getByLabel('Why the award stands') });
      await expect.poll(() => note.locator('.field__error').textContent()).toMatch(/^Error: /);
      expect(await ledger.store.headPosition()).toBe(head);
      await look(page, '56-registry-review-refused');
      await form
        .getByLabel('Why the award stands')
        .fill('Reviewed with the external examiner: the award stands while the RA1 appeal is heard');
      // the form offers London's today by this machine's clock; this ledger's today is fixed (above)
      await form.getByLabel('Resolved on').fill('2026-12-01');
      await form.getByRole('button', { name: 'Resolve: the award stands' }).click();
      await expect
        .poll(() => page.getByTestId('review-resolved').textContent())
        .toBe('Review resolved for Owen Clarke: the award stands.');
      expect(ledger.queries.reviewFlag(owen)).toBeNull();
      await look(page, '57-registry-review-resolved');
      expect(errors).toEqual([]);
      await context.close();
    });

    it("lets the cohort's external examiner read the board's workspace, without its forms", async () => {
      const { context, page, errors } = await openPage(browser);
      await signIn(page, base, examinerToken);
      await page.goto(`${base}/#/cohorts/${COHORT}/exam-board?board=board-2024-11`);
      await page.getByRole('heading', { level: 1, name: 'Exam board board-2024-11' }).waitFor();
      await settled(page);
      expect(await page.locator('main form').count()).toBe(0);
      expect(await page.getByTestId('board-record').textContent()).toContain(
        'The signed checkpoints are shown to registry staff and admins.',
      );
      // examiners work from anonymised lists: no names
      expect(await page.locator('.table--standing tbody').textContent()).not.toContain('Leon');
      await look(page, '58-examiner-board-workspace');
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
