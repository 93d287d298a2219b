import { Link } from '@react-email/link';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { formatAmount, formatDate } from '../../messages/format';
import type { ReceiptMessage } from '../../messages/models';
import { textsFor } from '../../messages/texts';
import { Field, Layout } from './layout';
import { PayButton } from './pay-button';

/**
 * Seed 000: after paying, the payer gets a copy of the result by email. Its button opens the printable receipt
 * (HTML page with the PDF and the QR check); a link under it opens the payment's result page.
 */
export function ReceiptEmail({ m }: { m: ReceiptMessage }) {
  const t = textsFor(m.locale);
  return (
    <Layout
      brand={m.brand}
      locale={m.locale}
      preview={t.receipt.intro(m.brand.merchantName)}
      greeting={t.greeting(m.maskedName)}
    >
      <Text style={{ fontSize: 14 }}>{t.receipt.intro(m.brand.merchantName)}</Text>
      <Field label={t.receipt.reference} value={m.reference} />
      {m.payuReference ? <Field label={t.receipt.payuReference} value={m.payuReference} /> : null}
      <Field label={t.receipt.date} value={formatDate(m.paidOn, m.locale)} />
      {m.items.map((item) => (
        <Field
          key={item.ref}
          label={item.description}
          value={formatAmount(item.amount, m.currency, m.locale)}
        />
      ))}
      <Field label={t.receipt.total} value={formatAmount(m.total, m.currency, m.locale)} />
      <Section style={{ paddingTop: 12 }}>
        <PayButton label={t.receipt.button} href={m.receiptUrl ?? m.url} color={m.brand.color} />
      </Section>
      {m.receiptUrl ? (
        <Text style={{ fontSize: 14 }}>
          <Link href={m.url} style={{ color: m.brand.color }}>
            {t.receipt.status}
          </Link>
        </Text>
      ) : null}
    </Layout>
  );
}
