import { formatAmount, formatDate } from '../messages/format';
import type { MessageModel } from '../messages/models';
import { returnPlainLines } from '../messages/return-texts';
import { textsFor } from '../messages/texts';

/**
 * The plain-text part of an email, from the same model and the same words as the HTML part. Written from the
 * model rather than converted from the HTML: converting (html-to-text) cost as much as rendering the HTML.
 * A link is written out after its label; a disabled button is its label and its reason, with no link.
 */
export function plainText(m: MessageModel): string {
  const t = textsFor(m.locale);
  const name = m.brand.merchantName;
  const lines: string[] = [name.toUpperCase(), '', t.greeting(m.maskedName), ''];
  const field = (label: string, value: string) => lines.push(`${label}: ${value}`);
  switch (m.kind) {
    case 'statement': {
      lines.push(t.statement.intro(name, formatDate(m.asOf, m.locale)), '');
      if (m.items.length === 0) lines.push(t.statement.empty, '');
      for (const item of m.items) {
        lines.push(item.description);
        if (item.references.length > 0) field(t.statement.references, item.references.join(' · '));
        if (item.limitDate) field(t.statement.limitDate, formatDate(item.limitDate, m.locale));
        field(t.statement.due, formatAmount(item.due, item.currency, m.locale));
        if (item.payUrl) {
          lines.push(`${t.statement.payButton}: ${item.payUrl}`);
        } else if (item.blockedReason) {
          lines.push(
            `${t.statement.payButton} — ${t.statement.blocked(item.blockedReason, formatAmount(item.minimum, item.currency, m.locale))}`,
          );
        }
        lines.push('');
      }
      for (const total of m.totals)
        field(t.statement.total, formatAmount(total.amount, total.currency, m.locale));
      lines.push('', `${t.statement.openAll}: ${m.statementUrl}`);
      break;
    }
    case 'charge':
      lines.push(t.charge.intro(name), '', m.description);
      field(t.charge.amountDue, formatAmount(m.amountDue, m.currency, m.locale));
      if (m.dueDate) field(t.charge.dueDate, formatDate(m.dueDate, m.locale));
      if (m.incentiveUntil) field(t.charge.incentiveUntil, formatDate(m.incentiveUntil, m.locale));
      lines.push('', `${t.charge.button}: ${m.url}`);
      break;
    case 'reminder':
      lines.push(m.event === 'late_fee' ? t.reminder.lateFee : t.reminder.incentiveEnd, '', m.description);
      field(t.reminder.amountDue, formatAmount(m.amountDue, m.currency, m.locale));
      lines.push('', `${t.reminder.button}: ${m.url}`);
      break;
    case 'receipt':
      lines.push(t.receipt.intro(name), '');
      field(t.receipt.reference, m.reference);
      if (m.payuReference) field(t.receipt.payuReference, m.payuReference);
      field(t.receipt.date, formatDate(m.paidOn, m.locale));
      for (const item of m.items) field(item.description, formatAmount(item.amount, m.currency, m.locale));
      field(t.receipt.total, formatAmount(m.total, m.currency, m.locale));
      lines.push('', `${t.receipt.button}: ${m.receiptUrl ?? m.url}`);
      if (m.receiptUrl) lines.push(`${t.receipt.status}: ${m.url}`);
      break;
    case 'return':
      lines.push(...returnPlainLines(m));
      break;
  }
  lines.push('', '--', t.footer(name));
  return `${lines.join('\n')}\n`;
}
