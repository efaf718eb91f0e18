import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// The award letter and transcript open as PDFs: page 1 is rendered with poppler's pdftoppm and must not
// be blank, and pdftotext reads what they say. An external examiner's copies name the student id only.

const poppler = spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
if (!poppler)
  console.warn(
    'SKIPPED: the PDF tests need poppler-utils (pdftoppm, pdftotext): apt-get install poppler-utils',
  );

const dir = mkdtempSync(join(tmpdir(), 'ledger-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Dark pixels on page 1 at 50 dpi, in grey (a PGM file is a header and one byte a pixel). */
function inkOnPageOne(pdf: Buffer, name: string): { ink: number; pixels: number } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const render = spawnSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-gray', file, join(dir, name)]);
  expect(render.status, String(render.stderr)).toBe(0);
  const pgm = readFileSync(join(dir, `${name}-1.pgm`));
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const pixels = Number(header[1]) * Number(header[2]);
  const body = pgm.subarray(pgm.length - pixels);
  return { ink: body.filter((v) => v < 128).length, pixels };
}

function textOf(pdf: Buffer, name: string): string {
  const file = join(dir, `${name}-text.pdf`);
  writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  return out.stdout.replace(/\s+/g, ' ');
}

describe.skipIf(!poppler)('the award letter and transcript (PDF)', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  const get = async (url: string, who: 'registry' | 'examiner' | 'student') => {
    const r = await server.app.inject({ method: 'GET', url, headers: auth(server.tokens[who]) });
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    return r.rawPayload;
  };
  beforeAll(async () => {
    server = await demoServer();
  });

  it('a blank page counts as blank (the check below can fail)', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect(inkOnPageOne(Buffer.from(await doc.save()), 'blank').ink).toBe(0);
  });

  it('the award letter opens, is not blank, names the award, its evidence and the check URL', async () => {
    const letter = await get(`/students/${server.studentId}/award-letter.pdf`, 'student');
    const { ink, pixels } = inkOnPageOne(letter, 'letter');
    expect(ink / pixels).toBeGreaterThan(0.01); // text and a QR code
    const text = textOf(letter, 'letter');
    const award = server.ledger.queries.record(server.studentId).awards[0]!;
    expect(text).toContain('Amara Okafor');
    expect(text).toContain('National Award for SEN Coordination');
    expect(text).toContain('board-2024-11');
    expect(text).toContain(award.decisionDigest);
    const [credential] = (
      await server.app.inject({
        method: 'GET',
        url: `/students/${server.studentId}/credentials`,
        headers: auth(server.tokens.registry),
      })
    ).json().credentials;
    expect(text).toContain(`/credentials/${credential.credentialId}`);
  });

  it('the transcript lists modules, ratified marks and boards, credits and the award', async () => {
    const transcript = await get(`/students/${server.studentId}/transcript.pdf`, 'registry');
    const { ink, pixels } = inkOnPageOne(transcript, 'transcript');
    expect(ink / pixels).toBeGreaterThan(0.01);
    const text = textOf(transcript, 'transcript');
    for (const expected of [
      'Amara Okafor',
      'M1',
      'M2',
      'M3',
      '68',
      '61',
      '72',
      'board-2024-11, 2024-11-15',
      'Credits ratified: 60 of 60',
    ])
      expect(text).toContain(expected);
    expect(text).toContain(
      'National Award for SEN Coordination: conferred by exam board board-2024-11 on 2024-11-15',
    );
  });

  it("an examiner's copies name the student id, never the name", async () => {
    for (const doc of ['award-letter', 'transcript']) {
      const text = textOf(
        await get(`/students/${server.studentId}/${doc}.pdf`, 'examiner'),
        `examiner-${doc}`,
      );
      expect(text).toContain(`Student ${server.studentId}`);
      expect(text).not.toContain('Amara');
      expect(text).not.toContain('Okafor');
    }
  });

  it('after an erasure the letter says so and keeps the award', async () => {
    const gwen = server.otherStudentId;
    const erased = await server.app.inject({
      method: 'POST',
      url: `/students/${gwen}/erase-personal-data`,
      headers: auth(server.tokens.admin),
      payload: { requestReference: 'DPA-2024-044', erasedOn: '2024-11-20' },
    });
    expect(erased.statusCode).toBe(201);
    const text = textOf(await get(`/students/${gwen}/award-letter.pdf`, 'registry'), 'erased');
    expect(text).toContain('(personal data erased)');
    expect(text).not.toContain('Gwen');
    expect(text).toContain('No digital credential was issued');
  });
});
