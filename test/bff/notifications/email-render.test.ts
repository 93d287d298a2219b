import { describe, expect, test } from 'vitest';
import { renderEmail } from '../../../bff/notifications/email/render-email';
import type { ChargeMessage, ReminderMessage } from '../../../bff/notifications/messages/models';
import { BRAND, receiptModel, statementModel } from './message-fixtures';

/** Every <a …>…</a> of an HTML document: its href and its visible text. */
function anchors(html: string): { href: string | null; text: string }[] {
  return [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: /\bhref="([^"]*)"/.exec(m[1]!)?.[1] ?? null,
    text: m[2]!
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[^>]+>/g, '')
      .trim(),
  }));
}

/** Intl separates the currency sign with a no-break space; the assertions read it as a space. */
async function render(...args: Parameters<typeof renderEmail>) {
  const r = await renderEmail(...args);
  const flat = (s: string) => s.replace(/\u00a0/g, ' ');
  return { subject: r.subject, html: flat(r.html), text: flat(r.text) };
}

describe('statement email (seed 000)', () => {
  test('one "Paga con PayU" link per payable item, and the item under the minimum gets a grey button with no link', async () => {
    const r = await render(statementModel());
    const pay = anchors(r.html).filter((a) => a.text === 'Paga con PayU');
    expect(pay).toEqual([{ href: 'https://pagos.example.co/demo/s/TOKEN-FE-1043', text: 'Paga con PayU' }]);
    // The disabled button is a span: same label, no href anywhere near it.
    const disabled = [...r.html.matchAll(/<span[^>]*data-disabled="true"[^>]*>([^<]*)<\/span>/g)];
    expect(disabled.map((d) => d[1])).toEqual(['Paga con PayU']);
    expect(disabled[0]![0]).not.toContain('href');
    expect(r.html).toContain('El saldo es menor que el pago mínimo de $ 10.000.');
    expect(anchors(r.html).map((a) => a.href)).not.toContain(null);
  });

  test('subject, amounts and dates in es-CO, and a plain-text part with the same links', async () => {
    const r = await render(statementModel());
    expect(r.subject).toBe('Tu estado de cuenta con Tienda Demo S.A.S.');
    expect(r.html).toContain('$ 125.000');
    expect(r.html).toContain('5 de diciembre de 2026');
    expect(r.text).toContain('Paga con PayU: https://pagos.example.co/demo/s/TOKEN-FE-1043');
    expect(r.text).toContain('Paga con PayU — El saldo es menor que el pago mínimo de $ 10.000.');
    expect(r.text).toContain('Ver todos mis pagos: https://pagos.example.co/demo/s/TOKEN-ALL');
    // Exactly one link per payable item plus the "see all" link: the grey button added none.
    expect(r.text.match(/https:\/\//g)).toHaveLength(2);
  });

  test('in English the words, money and dates follow en-US', async () => {
    const r = await render(statementModel({ locale: 'en-US' }));
    expect(r.subject).toBe('Your statement from Tienda Demo S.A.S.');
    expect(anchors(r.html).filter((a) => a.text === 'Pay with PayU')).toHaveLength(1);
    expect(r.html).toContain('COP 125,000');
    expect(r.html).toContain('December 5, 2026');
    expect(r.html).toContain('lang="en"');
  });

  test('branding: the merchant colour on the header and buttons, the logo when configured', async () => {
    const r = await render(
      statementModel({ brand: { ...BRAND, color: '#aa3300', logoUrl: 'https://cdn.example.co/logo.png' } }),
    );
    expect(r.html).toContain('background-color:#aa3300');
    expect(r.html).toContain('src="https://cdn.example.co/logo.png"');
    expect(r.html).not.toContain('<script');
  });

  test('text from the ERP is escaped, never markup', async () => {
    const m = statementModel();
    const r = await render({
      ...m,
      items: [{ ...m.items[0]!, description: '<img src=x onerror=alert(1)>' }],
    });
    expect(r.html).not.toContain('<img src=x');
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('charge, reminder and receipt emails', () => {
  const charge: ChargeMessage = {
    kind: 'charge',
    brand: BRAND,
    locale: 'es-CO',
    maskedName: 'Ca**** Ro***',
    description: 'Matrícula 2027-1',
    currency: 'COP',
    amountDue: '1500000',
    dueDate: '2026-12-15',
    incentiveUntil: '2026-12-05',
    url: 'https://pagos.example.co/demo/c/TOKEN',
  };

  test('a charge shows the amount due today, due date, incentive deadline and its link', async () => {
    const r = await render(charge);
    expect(r.subject).toBe('Tienda Demo S.A.S. te envió un cobro');
    expect(r.html).toContain('$ 1.500.000');
    expect(r.html).toContain('15 de diciembre de 2026');
    expect(r.html).toContain('5 de diciembre de 2026');
    expect(anchors(r.html)).toContainEqual({ href: charge.url, text: 'Paga con PayU' });
  });

  test('a reminder is named by its template and says why the amount changed', async () => {
    const reminder: ReminderMessage = {
      kind: 'reminder',
      brand: BRAND,
      locale: 'es-CO',
      maskedName: null,
      template: 'recargo_mora',
      event: 'late_fee',
      description: 'Matrícula 2027-1',
      currency: 'COP',
      amountDue: '1575000',
      url: 'https://pagos.example.co/demo/c/TOKEN',
    };
    const r = await render(reminder);
    expect(r.subject).toBe('Recordatorio de Tienda Demo S.A.S.: recargo_mora');
    expect(r.text).toContain('Desde hoy se aplica un recargo por mora');
    expect(r.text).toContain('$ 1.575.000');
    const ends = await render({ ...reminder, event: 'incentive_end', locale: 'en-US' });
    expect(ends.text).toContain('Your early-payment discount ends today.');
  });

  test('a receipt links to the printable receipt page, and under it to the result page', async () => {
    const receiptUrl = `https://pagos.example.co/demo/receipts/${'R'.repeat(43)}`;
    const r = await render(receiptModel({ receiptUrl }));
    expect(anchors(r.html)).toEqual(
      expect.arrayContaining([
        { href: receiptUrl, text: 'Ver comprobante' },
        { href: 'https://pagos.example.co/demo/pay/result/SLD-abc', text: 'Ver el estado del pago' },
      ]),
    );
    expect(r.text).toContain(`Ver comprobante: ${receiptUrl}`);
    expect(r.text).toContain('Ver el estado del pago: https://pagos.example.co/demo/pay/result/SLD-abc');
    const en = await render(receiptModel({ receiptUrl, locale: 'en-US' }));
    expect(anchors(en.html)).toContainEqual({ href: receiptUrl, text: 'View receipt' });
  });

  test('a receipt lists reference, PayU reference, items and total; without a receipt page it links to the result', async () => {
    const r = await render(receiptModel());
    expect(r.subject).toBe('Comprobante de pago SLD-abc — Tienda Demo S.A.S.');
    expect(r.text).toContain('Referencia PayU: 845612378');
    expect(r.text).toContain('Factura FE-1: $ 20.000');
    expect(anchors(r.html)).toContainEqual({
      href: 'https://pagos.example.co/demo/pay/result/SLD-abc',
      text: 'Ver comprobante',
    });
  });
});
