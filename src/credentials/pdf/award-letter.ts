import { PDFDocument } from 'pdf-lib';
import type { LetterData } from './documents.ts';
import { MUTED, PageWriter } from './page.ts';

// The award letter: one page saying who was awarded what, by which exam board and when, with the
// decision's digest and log position, and a QR code to the public check of the credential.

export async function awardLetterPdf(data: LetterData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Award letter: ${data.title}`);
  doc.setSubject(`Award letter for student ${data.studentId}`);
  doc.setCreator(data.issuerName);
  // A fixed date keeps the same letter the same bytes (pdf-lib would stamp the current time).
  doc.setCreationDate(new Date(`${data.printedOn}T12:00:00Z`));
  doc.setModificationDate(new Date(`${data.printedOn}T12:00:00Z`));
  const w = await PageWriter.open(doc);

  w.text(data.issuerName, { size: 20, bold: true });
  w.text(data.provider, { size: 11, color: MUTED });
  w.rule();
  w.text(`Award letter, ${data.printedOn}`, { size: 10, color: MUTED, gap: 18 });
  w.text('This is to certify that', { size: 12 });
  w.text(data.recipient, { size: 18, bold: true, gap: 8 });
  w.text('has been awarded the', { size: 12 });
  w.text(data.title, { size: 16, bold: true, gap: 10 });
  w.text(
    `conferred by exam board ${data.examBoardId} on ${data.conferredOn}, with ${data.creditsEarned} credits at FHEQ level ${data.level}, on ${data.specTitle} (${data.programme}), delivered by ${data.provider}.`,
    { size: 11, gap: 16 },
  );
  w.text('How this award was decided', { size: 11, bold: true });
  w.text(
    `The ledger recorded the exam board's decision with a SHA-256 digest of every rule it applied and the events behind them: ${data.decisionDigest}, taken from the student's record up to position ${data.position} of the hash-chained log. The decision can be recomputed from the log at any time.`,
    { size: 9, color: MUTED, gap: 16 },
  );
  if (data.checkUrl && data.credentialId) {
    w.text('Check this award', { size: 11, bold: true });
    await w.qr(
      data.checkUrl,
      `Scan the code, or open ${data.checkUrl}, to see whether this award stands. The holder's digital credential (Open Badges 3.0, id urn:uuid:${data.credentialId}) can be verified by anyone at ${data.verifyUrl} or offline with the issuer's published keys.`,
    );
  } else {
    w.text(
      `No digital credential was issued for this award. Ask the registry to confirm it; anyone can verify a credential at ${data.verifyUrl}.`,
      { size: 9, color: MUTED },
    );
  }
  return doc.save();
}
