import { type PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';

// A small writer over pdf-lib: A4 pages, a cursor that moves down, wrapped paragraphs, simple tables and
// a QR code. pdf-lib's standard fonts carry no Unicode beyond Windows-1252, so text that font cannot
// show is folded to its plain letters (Zoë stays Zoë, Łukasz becomes Lukasz) rather than failing.

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.35, 0.35, 0.4);

export class PageWriter {
  page: PDFPage;
  y: number;
  readonly width = A4[0] - 2 * MARGIN;

  private constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  static async open(doc: PDFDocument): Promise<PageWriter> {
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    return new PageWriter(doc, regular, bold);
  }

  /** Text as the font can draw it. */
  safe(text: string, font: PDFFont = this.regular): string {
    const chars = [...text].map((c) => {
      if (canEncode(font, c)) return c;
      const folded = c.normalize('NFKD').replace(/\p{M}/gu, '');
      return folded && canEncode(font, folded) ? folded : '?';
    });
    return chars.join('');
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  text(
    text: string,
    options: { size?: number; bold?: boolean; color?: typeof INK; gap?: number } = {},
  ): void {
    const size = options.size ?? 11;
    const font = options.bold ? this.bold : this.regular;
    for (const line of this.wrap(this.safe(text, font), font, size, this.width)) {
      this.ensure(size * 1.4);
      this.y -= size * 1.4;
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font, color: options.color ?? INK });
    }
    this.y -= options.gap ?? 4;
  }

  space(points: number): void {
    this.y -= points;
  }

  rule(): void {
    this.ensure(10);
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: MARGIN + this.width, y: this.y },
      thickness: 0.6,
      color: MUTED,
    });
    this.y -= 6;
  }

  /** One table row; `widths` are fractions of the line. Cells wrap within their column. */
  row(cells: string[], widths: number[], options: { bold?: boolean; size?: number } = {}): void {
    const size = options.size ?? 9;
    const font = options.bold ? this.bold : this.regular;
    const columns = cells.map((c, i) =>
      this.wrap(this.safe(c, font), font, size, widths[i]! * this.width - 6),
    );
    const height = Math.max(...columns.map((c) => c.length)) * size * 1.35 + 4;
    this.ensure(height);
    let x = MARGIN;
    columns.forEach((lines, i) => {
      lines.forEach((line, j) => {
        this.page.drawText(line, { x, y: this.y - (j + 1) * size * 1.35, size, font, color: INK });
      });
      x += widths[i]! * this.width;
    });
    this.y -= height;
  }

  async qr(url: string, caption: string): Promise<void> {
    const png = await QRCode.toBuffer(url, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
    const image = await this.doc.embedPng(png);
    const side = 110;
    this.ensure(side + 40);
    this.page.drawImage(image, { x: MARGIN, y: this.y - side, width: side, height: side });
    const lines = this.wrap(this.safe(caption), this.regular, 9, this.width - side - 16);
    lines.forEach((line, i) => {
      this.page.drawText(line, {
        x: MARGIN + side + 16,
        y: this.y - 14 - i * 12,
        size: 9,
        font: this.regular,
        color: MUTED,
      });
    });
    this.y -= side + 10;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
        else {
          lines.push(line);
          line = word;
        }
        // A word longer than the line (a digest, a URL) is cut where it overflows.
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }
}

function canEncode(font: PDFFont, text: string): boolean {
  try {
    font.encodeText(text);
    return true;
  } catch {
    return false;
  }
}
