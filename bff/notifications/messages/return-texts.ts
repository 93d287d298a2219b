import { formatAmount } from './format';
import type { MessageLocale, ReturnMessage } from './models';

/**
 * The words of the payer's return notices (docs/spec/money-back.md "Payer notices"), es-CO and en, kept
 * beside texts.ts so the money-back messages stay in one place. Amounts and instants arrive as data and are
 * formatted here in the message's locale; an arrival is read in Bogotá's time (the bank is Colombian).
 */
export interface ReturnTexts {
  readonly subject: (merchant: string, event: ReturnMessage['event']) => string;
  /** The first paragraph, per event and route. */
  readonly intro: (m: ReturnMessage, amount: string) => string;
  readonly amount: string;
  readonly reference: string;
  readonly account: string;
  readonly arrival: string;
  /** The button: give bank details, or see where the money is. */
  readonly button: (event: ReturnMessage['event']) => string;
  readonly linkNote: string;
  /** WhatsApp's third body parameter: what happened, in a few words. */
  readonly status: (m: ReturnMessage, arrival: string | null) => string;
}

const es: ReturnTexts = {
  subject: (merchant, event) =>
    ({
      details: `${merchant} te devolverá dinero: indícanos tu cuenta`,
      sent: `${merchant} envió tu devolución`,
      paid: `Tu devolución de ${merchant} llegó`,
    })[event],
  intro: (m, amount) => {
    const merchant = m.brand.merchantName;
    if (m.event === 'details')
      return `${merchant} te devolverá ${amount} del pago ${m.reference}. Para enviarte el dinero necesitamos la cuenta bancaria donde quieres recibirlo.`;
    if (m.event === 'sent')
      return m.route === 'refund'
        ? `${merchant} pidió a PayU devolver ${amount} a la tarjeta con la que pagaste. PayU lo revisa en 1 a 3 días hábiles y luego tu banco lo refleja en el extracto.`
        : `${merchant} envió ${amount} a tu cuenta bancaria. El banco está procesando la transferencia.`;
    return m.route === 'refund'
      ? `PayU aprobó la devolución de ${amount} a tu tarjeta. Tu banco la mostrará en tu extracto.`
      : `Tu banco confirmó la transferencia de ${amount}. El dinero ya está en tu cuenta.`;
  },
  amount: 'Valor',
  reference: 'Pago',
  account: 'Cuenta',
  arrival: 'Llegada esperada',
  button: (event) => (event === 'details' ? 'Indicar mi cuenta bancaria' : 'Ver mi devolución'),
  linkNote:
    'El enlace es personal y vence en 14 días. Nunca te pediremos contraseñas ni datos de tu tarjeta.',
  status: (m, arrival) =>
    m.event === 'details'
      ? 'necesita tu cuenta bancaria para enviarte el dinero'
      : m.event === 'paid'
        ? 'ya llegó a tu cuenta'
        : m.route === 'refund'
          ? 'se pidió a tu tarjeta (PayU lo revisa en 1 a 3 días hábiles)'
          : `se envió a tu banco${arrival ? `; llega hacia el ${arrival}` : ''}`,
};

const en: ReturnTexts = {
  subject: (merchant, event) =>
    ({
      details: `${merchant} is returning money to you: tell us your account`,
      sent: `${merchant} sent your refund`,
      paid: `Your refund from ${merchant} has arrived`,
    })[event],
  intro: (m, amount) => {
    const merchant = m.brand.merchantName;
    if (m.event === 'details')
      return `${merchant} will return ${amount} from payment ${m.reference}. To send it we need the bank account you want to receive it in.`;
    if (m.event === 'sent')
      return m.route === 'refund'
        ? `${merchant} asked PayU to return ${amount} to the card you paid with. PayU reviews it in 1 to 3 business days, then your bank shows it on your statement.`
        : `${merchant} sent ${amount} to your bank account. The bank is processing the transfer.`;
    return m.route === 'refund'
      ? `PayU approved the refund of ${amount} to your card. Your bank will show it on your statement.`
      : `Your bank confirmed the transfer of ${amount}. The money is in your account.`;
  },
  amount: 'Amount',
  reference: 'Payment',
  account: 'Account',
  arrival: 'Expected arrival',
  button: (event) => (event === 'details' ? 'Give my bank account' : 'See my refund'),
  linkNote: 'The link is personal and expires in 14 days. We will never ask for passwords or card details.',
  status: (m, arrival) =>
    m.event === 'details'
      ? 'needs your bank account to send you the money'
      : m.event === 'paid'
        ? 'has arrived in your account'
        : m.route === 'refund'
          ? 'was requested to your card (PayU reviews it in 1 to 3 business days)'
          : `was sent to your bank${arrival ? `; expected around ${arrival}` : ''}`,
};

export function returnTextsFor(locale: MessageLocale): ReturnTexts {
  return locale === 'en-US' ? en : es;
}

const arrivalFormats = new Map<string, Intl.DateTimeFormat>();

/** An expected arrival instant in Bogotá's time: "jueves, 3 de diciembre, 10:40 a. m.". Null when absent. */
export function formatArrival(iso: string | null, locale: MessageLocale): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  let f = arrivalFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'America/Bogota',
    });
    arrivalFormats.set(locale, f);
  }
  return f.format(date);
}

/** The amount of a return notice in its locale. */
export const returnAmount = (m: ReturnMessage) => formatAmount(m.amount, m.currency, m.locale);

/** The plain-text lines of a return notice's body (plain-text.ts frames them). */
export function returnPlainLines(m: ReturnMessage): string[] {
  const t = returnTextsFor(m.locale);
  const arrival = formatArrival(m.expectedArrival, m.locale);
  const lines = [t.intro(m, returnAmount(m)), ''];
  lines.push(`${t.reference}: ${m.reference}`, `${t.amount}: ${returnAmount(m)}`);
  if (m.bankAccount) lines.push(`${t.account}: ${m.bankAccount}`);
  if (arrival && m.event === 'sent') lines.push(`${t.arrival}: ${arrival}`);
  lines.push('', `${t.button(m.event)}: ${m.url}`, t.linkNote);
  return lines;
}
