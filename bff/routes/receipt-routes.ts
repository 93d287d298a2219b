import { Hono } from 'hono';
import { apiError } from '../http/api-error';
import { merchantFromPath } from '../http/merchant';
import { buildReceipt, receiptLanguage } from '../receipts/receipt-model';
import { RECEIPT_CSS, receiptHtml, verifyHtml } from '../receipts/receipt-html';
import { RECEIPT_TOKEN, receiptPdfPath, verifyPath } from '../receipts/receipt-paths';
import { receiptPdf } from '../receipts/receipt-pdf';
import type { AppDeps } from '../app-deps';

/**
 * Receipts (docs/spec/business-payments.md §3): `/{merchant}/receipts/{token}` (printable page),
 * `…/receipt.pdf?paper=a4|letter` and `…/verify` (what the PDF's QR code opens). The token is the only key;
 * an unknown, malformed or other merchant's token is the same 404. The page and the PDF exist once the
 * payment is approved; the verification page always shows the current status.
 */
export function receiptRoutes(deps: AppDeps) {
  const merchant = merchantFromPath(deps.merchants);
  const find = async (merchantId: string, token: string) => {
    if (!RECEIPT_TOKEN.test(token)) return null;
    const checkout = await deps.store.getCheckoutByReceiptToken(token);
    return checkout && checkout.merchantId === merchantId ? checkout : null;
  };
  const headers = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' };

  return new Hono()
    .get('/receipt.css', (c) =>
      c.body(RECEIPT_CSS, 200, {
        'Content-Type': 'text/css; charset=utf-8',
        'Cache-Control': 'public, max-age=3600',
      }),
    )
    .get('/:merchantId/receipts/:token', merchant, async (c) => {
      const m = c.var.merchant;
      const checkout = await find(m.id, c.req.param('token'));
      if (!checkout || checkout.status !== 'approved') return apiError(c, 404, 'not_found');
      const receipt = buildReceipt(m, checkout, receiptLanguage(m, c.req.query('lang')));
      const token = c.req.param('token');
      return c.html(
        receiptHtml(receipt, receiptPdfPath(m.id, token, 'a4'), receiptPdfPath(m.id, token, 'letter')),
        200,
        headers,
      );
    })
    .get('/:merchantId/receipts/:token/receipt.pdf', merchant, async (c) => {
      const m = c.var.merchant;
      const token = c.req.param('token');
      const checkout = await find(m.id, token);
      if (!checkout || checkout.status !== 'approved') return apiError(c, 404, 'not_found');
      const paper = c.req.query('paper') === 'letter' ? 'letter' : 'a4';
      const receipt = buildReceipt(m, checkout, receiptLanguage(m, c.req.query('lang')));
      const doc = receiptPdf(receipt, `${deps.config.publicUrl}${verifyPath(m.id, token)}`, paper);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          doc.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
          doc.on('end', () => controller.close());
          doc.on('error', (error: unknown) => controller.error(error));
        },
      });
      return c.body(body, 200, {
        ...headers,
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${checkout.reference}.pdf"`,
      });
    })
    .get('/:merchantId/receipts/:token/verify', merchant, async (c) => {
      const m = c.var.merchant;
      const checkout = await find(m.id, c.req.param('token'));
      if (!checkout) return apiError(c, 404, 'not_found');
      const receipt = buildReceipt(m, checkout, receiptLanguage(m, c.req.query('lang')));
      return c.html(verifyHtml(receipt), 200, headers);
    });
}
