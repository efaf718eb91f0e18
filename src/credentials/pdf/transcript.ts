import { PDFDocument } from 'pdf-lib';
import type { TranscriptData } from './documents.ts';
import { MUTED, PageWriter } from './page.ts';

// The transcript: every module with its credits, each attempt's mark as the exam board ratified it and
// which board, the credits standing, and the awards conferred (with any withdrawal).

const COLUMNS = [0.09, 0.33, 0.1, 0.1, 0.2, 0.18];

export async function transcriptPdf(data: TranscriptData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Transcript: ${data.specTitle}`);
  doc.setSubject(`Transcript for student ${data.studentId}`);
  doc.setCreator(data.issuerName);
  doc.setCreationDate(new Date(`${data.printedOn}T12:00:00Z`));
  doc.setModificationDate(new Date(`${data.printedOn}T12:00:00Z`));
  const w = await PageWriter.open(doc);

  w.text(data.issuerName, { size: 18, bold: true });
  w.text(`Transcript of academic record, ${data.printedOn}`, { size: 10, color: MUTED });
  w.rule();
  w.text(data.recipient, { size: 14, bold: true });
  w.text(`Student id ${data.studentId}`, { size: 9, color: MUTED });
  w.text(`${data.specTitle} (${data.programme}), ${data.provider}`, { size: 10 });
  w.text(`Cohort ${data.cohortId ?? '-'}; enrolled on ${data.enrolledOn ?? '-'}`, { size: 10, gap: 12 });

  w.row(['Module', 'Title', 'Credits', 'Attempt', 'Mark (as ratified)', 'Exam board'], COLUMNS, {
    bold: true,
  });
  w.rule();
  for (const m of data.modules) {
    const attempts = m.attempts.length ? m.attempts : [{ attempt: 0, mark: m.status, board: '' }];
    attempts.forEach((a, i) => {
      w.row(
        [
          i === 0 ? m.code : '',
          i === 0 ? `${m.title} (${m.status})` : '',
          i === 0 ? `${m.creditsEarned} of ${m.credits}` : '',
          a.attempt ? String(a.attempt) : '-',
          a.mark,
          a.board,
        ],
        COLUMNS,
      );
    });
  }
  w.rule();
  w.text(`Credits ratified: ${data.creditsEarned} of ${data.creditsRequired}`, {
    size: 11,
    bold: true,
    gap: 12,
  });

  w.text('Awards', { size: 12, bold: true });
  if (data.awards.length === 0) w.text('No award has been conferred.', { size: 10 });
  for (const a of data.awards) {
    w.text(
      `${a.title}: conferred by exam board ${a.examBoardId} on ${a.conferredOn}${a.withdrawn ? `; ${a.withdrawn}` : ''}`,
      { size: 10 },
    );
    w.text(`decision digest ${a.digest}`, { size: 8, color: MUTED });
  }
  w.space(10);
  if (data.checkUrl)
    await w.qr(
      data.checkUrl,
      `Scan the code, or open ${data.checkUrl}, to check the award's credential. Verify a credential at ${data.verifyUrl}.`,
    );
  return doc.save();
}
