import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { receiptTexts, type Receipt } from './receipt-model';
import { woffToSfnt } from './woff-to-sfnt';

/**
 * The receipt as a PDF (docs/spec/business-payments.md §3; docs/decisions/0013-pdfkit-qrcode-receipts.md): pdfkit,
 * DejaVu Sans embedded (subset) so it renders the same in any viewer, A4 or Letter, and a QR code of the
 * portal's verification page for this receipt.
 */
const require = createRequire(import.meta.url);
const font = (weight: 400 | 700) =>
  woffToSfnt(
    readFileSync(require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff`)),
  );
/** Parsed on the first receipt, not at start-up (~80 ms of the start-up profile, issue 16). */
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | null = null;
const parsedFonts = () =>
  (fonts ??= {
    regular: fontkit.create(font(400)) as fontkit.Font,
    bold: fontkit.create(font(700)) as fontkit.Font,
  });

export type Paper = 'a4' | 'letter';

/**
 * The PDF as a stream that starts at once: the document (and its first bytes) exists when this returns,
 * the page is laid out in the next turn of the event loop, so the response is already on its way while the
 * QR code is made and the text is set. A failure on the way is the stream's 'error'.
 */
export function receiptPdf(receipt: Receipt, verifyUrl: string, paper: Paper): PDFKit.PDFDocument {
  const t = receiptTexts(receipt.language);
  const doc = new PDFDocument({
    size: paper === 'a4' ? 'A4' : 'LETTER',
    margin: 50,
    info: { Title: `${t.title} ${receipt.reference}`, Author: receipt.merchantName },
  });
  // One parsed font for every receipt: its glyph and layout caches stay warm between documents.
  const { regular, bold } = parsedFonts();
  doc.registerFont('regular', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);
  setImmediate(() => {
    QRCode.toBuffer(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 })
      .then((qr) => layout(doc, receipt, qr))
      .catch((error: unknown) => doc.emit('error', error));
  });
  return doc;
}

function layout(doc: PDFKit.PDFDocument, receipt: Receipt, qr: Buffer): void {
  const t = receiptTexts(receipt.language);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.font('bold').fontSize(18).text(t.title);
  doc.font('regular').fontSize(10).fillColor('#444444').text(receipt.merchantName);
  if (receipt.merchantTaxId) doc.text(`${t.taxId} ${receipt.merchantTaxId}`);
  doc.moveDown();

  const top = doc.y;
  doc.image(qr, left + width - 110, top, { width: 110 });
  doc.fontSize(7).text(t.scan, left + width - 110, top + 112, { width: 110, align: 'center' });
  doc.x = left;
  doc.y = top;
  const facts: [string, string | null][] = [
    [t.status, t.statuses[receipt.status]],
    [t.reference, receipt.reference],
    [t.payuReference, receipt.payuReference],
    [t.date, `${receipt.when} (${receipt.timeZone})`],
    [t.method, receipt.method],
    [t.payer, receipt.payer],
  ];
  doc.fillColor('#000000');
  for (const [label, value] of facts) {
    if (value === null) continue;
    doc
      .font('bold')
      .fontSize(9)
      .text(label, left, doc.y, { width: width - 130 });
    doc
      .font('regular')
      .fontSize(10)
      .text(value, { width: width - 130 });
    doc.moveDown(0.3);
  }
  doc.y = Math.max(doc.y, top + 135);
  doc.moveDown();

  const cols = [left, left + width * 0.46, left + width * 0.64, left + width * 0.82];
  const colWidth = [width * 0.44, width * 0.17, width * 0.17, width * 0.18];
  const row = (cells: string[], font: 'regular' | 'bold') => {
    const y = doc.y;
    let bottom = y;
    cells.forEach((cell, i) => {
      doc
        .font(font)
        .fontSize(9)
        .text(cell, cols[i], y, { width: colWidth[i], align: i === 0 ? 'left' : 'right' });
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 4;
  };
  row([t.item, t.gross, t.withheld, t.cash], 'bold');
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .stroke('#999999');
  doc.moveDown(0.3);
  for (const item of receipt.items) {
    row([`${item.description} (${item.ref})`, item.gross, item.withheld, item.cash], 'regular');
    for (const w of item.withholdings) {
      doc
        .font('regular')
        .fontSize(8)
        .fillColor('#444444')
        .text(`${w.label}: ${w.amount} (${t.base} ${w.base}, ${t.rate} ${w.rate})`, left + 12, doc.y, {
          width: width - 12,
        });
      doc.fillColor('#000000');
    }
    doc.moveDown(0.3);
  }
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .stroke('#999999');
  doc.moveDown(0.3);
  row([t.total, receipt.gross, receipt.withheld, receipt.cash], 'bold');
  doc.end();
}
