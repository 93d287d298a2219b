import type { WhatsappConfig } from '../../config/config-schema';
import { formatAmount, formatDate } from '../messages/format';
import type { MessageModel } from '../messages/models';
import { formatArrival, returnAmount, returnTextsFor } from '../messages/return-texts';

/**
 * A message as a WhatsApp Cloud API template send (docs/spec/notifications.md "WhatsApp"): a template
 * conversation can only be opened with a pre-approved template, so the words live at Meta and the portal
 * sends the parameters. Body parameters per kind, in order:
 * - statement: merchant, total pending, number of items
 * - charge:    merchant, description, amount due today, due date ("—" when none)
 * - reminder:  merchant, description, new amount due
 * - receipt:   merchant, reference, total paid
 * - return:    merchant, amount, what happened (money-back.md "Payer notices")
 * and one dynamic URL button whose suffix is the link's path (the template's base URL is `publicUrl/`).
 */
export interface TemplateSend {
  readonly messaging_product: 'whatsapp';
  readonly recipient_type: 'individual';
  readonly to: string;
  readonly type: 'template';
  readonly template: {
    readonly name: string;
    readonly language: { readonly code: string };
    readonly components: readonly unknown[];
  };
}

export function templateFor(config: WhatsappConfig, kind: MessageModel['kind']) {
  return config.templates[kind] ?? null;
}

function bodyParameters(m: MessageModel): string[] {
  const name = m.brand.merchantName;
  switch (m.kind) {
    case 'statement': {
      const total = m.totals.map((t) => formatAmount(t.amount, t.currency, m.locale)).join(' + ') || '—';
      return [name, total, String(m.items.length)];
    }
    case 'charge':
      return [
        name,
        m.description,
        formatAmount(m.amountDue, m.currency, m.locale),
        m.dueDate ? formatDate(m.dueDate, m.locale) : '—',
      ];
    case 'reminder':
      return [name, m.description, formatAmount(m.amountDue, m.currency, m.locale)];
    case 'receipt':
      return [name, m.reference, formatAmount(m.total, m.currency, m.locale)];
    case 'return':
      return [
        name,
        returnAmount(m),
        returnTextsFor(m.locale).status(m, formatArrival(m.expectedArrival, m.locale)),
      ];
  }
}

function linkOf(m: MessageModel): string {
  if (m.kind === 'statement') return m.statementUrl;
  if (m.kind === 'receipt') return m.receiptUrl ?? m.url;
  return m.url;
}

/** Null when the merchant has no approved template for this kind. */
export function templateSend(config: WhatsappConfig, to: string, m: MessageModel): TemplateSend | null {
  const template = templateFor(config, m.kind);
  if (!template) return null;
  // WhatsApp parameters may not contain newlines or tabs, nor more than four consecutive spaces.
  const clean = (text: string) =>
    text
      .replace(/[\t\n\r]+/g, ' ')
      .replace(/ {4,}/g, '   ')
      .slice(0, 1000);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        { type: 'body', parameters: bodyParameters(m).map((text) => ({ type: 'text', text: clean(text) })) },
        {
          type: 'button',
          sub_type: 'url',
          index: '0',
          parameters: [{ type: 'text', text: new URL(linkOf(m)).pathname.slice(1) }],
        },
      ],
    },
  };
}
