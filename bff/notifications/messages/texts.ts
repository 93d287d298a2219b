import type { BlockedReason, MessageLocale } from './models';

/** The words of every message in the two supported locales (es-CO default, en). Amounts arrive formatted. */
export interface Texts {
  readonly greeting: (maskedName: string | null) => string;
  readonly statement: {
    readonly subject: (merchant: string) => string;
    readonly intro: (merchant: string, asOf: string) => string;
    readonly due: string;
    readonly limitDate: string;
    readonly references: string;
    readonly payButton: string;
    readonly blocked: (reason: BlockedReason, minimum: string) => string;
    readonly total: string;
    readonly openAll: string;
    readonly empty: string;
  };
  readonly charge: {
    readonly subject: (merchant: string) => string;
    readonly intro: (merchant: string) => string;
    readonly amountDue: string;
    readonly dueDate: string;
    readonly incentiveUntil: string;
    readonly button: string;
  };
  readonly reminder: {
    readonly subject: (merchant: string, template: string) => string;
    readonly lateFee: string;
    readonly incentiveEnd: string;
    readonly amountDue: string;
    readonly button: string;
  };
  readonly receipt: {
    readonly subject: (merchant: string, reference: string) => string;
    readonly intro: (merchant: string) => string;
    readonly reference: string;
    readonly payuReference: string;
    readonly date: string;
    readonly total: string;
    readonly button: string;
    /** The link to the payment's result page, under the receipt button. */
    readonly status: string;
  };
  readonly footer: (merchant: string) => string;
}

const es: Texts = {
  greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
  statement: {
    subject: (m) => `Tu estado de cuenta con ${m}`,
    intro: (m, asOf) => `Estos son tus pagos pendientes con ${m}, con valores al ${asOf}.`,
    due: 'Valor a pagar',
    limitDate: 'Fecha límite',
    references: 'Referencias',
    payButton: 'Paga con PayU',
    blocked: (reason, minimum) =>
      ({
        paid: 'Ya está pagado.',
        payment_pending: 'Hay un pago en proceso.',
        below_minimum: `El saldo es menor que el pago mínimo de ${minimum}.`,
        expired: 'El plazo de pago venció.',
        cancelled: 'El comercio anuló este cobro.',
        in_review: 'El comercio está revisando un pago en efectivo.',
        settled_offline: 'Se pagó por fuera del portal.',
        returned: 'Fue devuelto.',
      })[reason],
    total: 'Total pendiente',
    openAll: 'Ver todos mis pagos',
    empty: 'No tienes pagos pendientes.',
  },
  charge: {
    subject: (m) => `${m} te envió un cobro`,
    intro: (m) => `${m} te envió un cobro para pagar en línea.`,
    amountDue: 'Valor a pagar hoy',
    dueDate: 'Fecha límite',
    incentiveUntil: 'Descuento por pronto pago hasta',
    button: 'Paga con PayU',
  },
  reminder: {
    subject: (m, t) => `Recordatorio de ${m}: ${t}`,
    lateFee: 'Desde hoy se aplica un recargo por mora a tu pago.',
    incentiveEnd: 'Hoy termina el descuento por pronto pago.',
    amountDue: 'Nuevo valor a pagar',
    button: 'Paga con PayU',
  },
  receipt: {
    subject: (m, r) => `Comprobante de pago ${r} — ${m}`,
    intro: (m) => `Recibimos tu pago a ${m}. Este es tu comprobante.`,
    reference: 'Referencia',
    payuReference: 'Referencia PayU',
    date: 'Fecha',
    total: 'Total pagado',
    button: 'Ver comprobante',
    status: 'Ver el estado del pago',
  },
  footer: (m) =>
    `Este mensaje lo envía ${m} a través de Saldo. Nunca te pediremos contraseñas ni datos de tu tarjeta por correo o WhatsApp.`,
};

const en: Texts = {
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  statement: {
    subject: (m) => `Your statement from ${m}`,
    intro: (m, asOf) => `These are your pending payments with ${m}, priced as of ${asOf}.`,
    due: 'Amount due',
    limitDate: 'Due date',
    references: 'References',
    payButton: 'Pay with PayU',
    blocked: (reason, minimum) =>
      ({
        paid: 'Already paid.',
        payment_pending: 'A payment is in process.',
        below_minimum: `The balance is below the minimum payment of ${minimum}.`,
        expired: 'The payment period has ended.',
        cancelled: 'The merchant withdrew this charge.',
        in_review: 'The merchant is checking a cash payment.',
        settled_offline: 'It was paid outside the portal.',
        returned: 'It was returned.',
      })[reason],
    total: 'Total pending',
    openAll: 'See all my payments',
    empty: 'You have no pending payments.',
  },
  charge: {
    subject: (m) => `${m} sent you a payment request`,
    intro: (m) => `${m} sent you a payment request you can pay online.`,
    amountDue: 'Amount due today',
    dueDate: 'Due date',
    incentiveUntil: 'Early-payment discount until',
    button: 'Pay with PayU',
  },
  reminder: {
    subject: (m, t) => `Reminder from ${m}: ${t}`,
    lateFee: 'A late fee applies to your payment from today.',
    incentiveEnd: 'Your early-payment discount ends today.',
    amountDue: 'New amount due',
    button: 'Pay with PayU',
  },
  receipt: {
    subject: (m, r) => `Payment receipt ${r} — ${m}`,
    intro: (m) => `We received your payment to ${m}. This is your receipt.`,
    reference: 'Reference',
    payuReference: 'PayU reference',
    date: 'Date',
    total: 'Total paid',
    button: 'View receipt',
    status: 'See the payment status',
  },
  footer: (m) =>
    `${m} sent you this message through Saldo. We will never ask for passwords or card details by email or WhatsApp.`,
};

export function textsFor(locale: MessageLocale): Texts {
  return locale === 'en-US' ? en : es;
}
