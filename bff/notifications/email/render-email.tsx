import { render } from '@react-email/render';
import type { MessageModel } from '../messages/models';
import { returnTextsFor } from '../messages/return-texts';
import { textsFor } from '../messages/texts';
import { plainText } from './plain-text';
import { ChargeEmail } from './templates/charge-email';
import { ReceiptEmail } from './templates/receipt-email';
import { ReminderEmail } from './templates/reminder-email';
import { ReturnEmail } from './templates/return-email';
import { StatementEmail } from './templates/statement-email';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  /** The plain-text part, written from the same model and words (plain-text.ts). */
  readonly text: string;
}

function subjectOf(m: MessageModel): string {
  const t = textsFor(m.locale);
  const name = m.brand.merchantName;
  switch (m.kind) {
    case 'statement':
      return t.statement.subject(name);
    case 'charge':
      return t.charge.subject(name);
    case 'reminder':
      return t.reminder.subject(name, m.template);
    case 'receipt':
      return t.receipt.subject(name, m.reference);
    case 'return':
      return returnTextsFor(m.locale).subject(name, m.event);
  }
}

function element(m: MessageModel) {
  switch (m.kind) {
    case 'statement':
      return <StatementEmail m={m} />;
    case 'charge':
      return <ChargeEmail m={m} />;
    case 'reminder':
      return <ReminderEmail m={m} />;
    case 'receipt':
      return <ReceiptEmail m={m} />;
    case 'return':
      return <ReturnEmail m={m} />;
  }
}

/** Renders one message to the HTML and plain-text parts of an email (React Email; docs/decisions/0030). */
export async function renderEmail(m: MessageModel): Promise<RenderedEmail> {
  const html = await render(element(m));
  return { subject: subjectOf(m), html, text: plainText(m) };
}
