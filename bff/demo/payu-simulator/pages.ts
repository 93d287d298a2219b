import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Checkout } from './checkout-form';
import { PAYU_SIM_OUTCOMES } from './types';

/**
 * The simulator's pages, built with hono/html (every interpolated value is escaped: the form's fields come
 * from whoever posted it). No script and no inline style, so they pass a strict CSP.
 */

type PageLng = 'es' | 'en';
type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const TEXT = {
  es: {
    title: 'Simulador de PayU',
    intro: 'Simulador local de PayU WebCheckout. Ningún dinero real se mueve.',
    merchant: 'Comercio',
    account: 'Cuenta',
    reference: 'Referencia',
    description: 'Descripción',
    amount: 'Valor',
    buyer: 'Comprador',
    legend: 'Resultado del pago',
    submit: 'Continuar',
    outcomes: {
      approved: 'Aprobado',
      declined: 'Rechazado',
      'pending-then-approved': 'Pendiente y luego aprobado',
      expired: 'Expirado',
      error: 'Error',
    },
    errors: {
      invalid_signature: 'Firma inválida',
      unknown_merchant: 'Comercio o cuenta desconocidos',
      invalid_form: 'Formulario inválido',
      unknown_checkout: 'Pago no encontrado o vencido',
      already_paid: 'Este pago ya fue procesado',
    },
    problems: 'Campos con problemas',
  },
  en: {
    title: 'PayU simulator',
    intro: 'Local PayU WebCheckout simulator. No real money moves.',
    merchant: 'Merchant',
    account: 'Account',
    reference: 'Reference',
    description: 'Description',
    amount: 'Amount',
    buyer: 'Buyer',
    legend: 'Payment outcome',
    submit: 'Continue',
    outcomes: {
      approved: 'Approved',
      declined: 'Declined',
      'pending-then-approved': 'Pending, then approved',
      expired: 'Expired',
      error: 'Error',
    },
    errors: {
      invalid_signature: 'Invalid signature',
      unknown_merchant: 'Unknown merchant or account',
      invalid_form: 'Invalid form',
      unknown_checkout: 'Payment not found or expired',
      already_paid: 'This payment has already been processed',
    },
    problems: 'Fields with problems',
  },
} as const;

export type ErrorKind = keyof (typeof TEXT)['es']['errors'];

function page(lng: PageLng, title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="${lng}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}

/** The form's summary and one radio button per outcome; posting it pays (relative action: any prefix). */
export function checkoutPage(checkout: Checkout, id: string): Html {
  const t = TEXT[checkout.lng];
  const { form } = checkout;
  const rows: [string, string][] = [
    [t.merchant, form.merchantId],
    [t.account, form.accountId],
    [t.reference, form.referenceCode],
    [t.description, form.description],
    [t.amount, `${form.amount} ${form.currency}`],
    [t.buyer, form.buyerEmail],
  ];
  const radios = PAYU_SIM_OUTCOMES.map(
    (o, i) =>
      html`<div>
        <input type="radio" id="outcome-${o}" name="outcome" value="${o}" ${i === 0 ? html` checked` : ''} />
        <label for="outcome-${o}">${t.outcomes[o]}</label>
      </div> `,
  );
  return page(
    checkout.lng,
    `${t.title}: ${form.referenceCode}`,
    html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      <dl>
        ${rows.map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd> `,
        )}
      </dl>
      <form method="post" action="checkout/${id}">
        <fieldset>
          <legend>${t.legend}</legend>
          ${radios}
        </fieldset>
        <button type="submit">${t.submit}</button>
      </form>`,
  );
}

export function errorPage(lng: PageLng, kind: ErrorKind, issues: readonly string[]): Html {
  const t = TEXT[lng];
  const title = t.errors[kind];
  const list =
    issues.length > 0
      ? html`<h2>${t.problems}</h2>
          <ul>
            ${issues.map((i) => html`<li>${i}</li>`)}
          </ul>`
      : '';
  return page(
    lng,
    `${t.title}: ${title}`,
    html`<h1>${title}</h1>
      ${list}`,
  );
}
