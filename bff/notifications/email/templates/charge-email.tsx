import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { formatAmount, formatDate } from '../../messages/format';
import type { ChargeMessage } from '../../messages/models';
import { textsFor } from '../../messages/texts';
import { Field, Layout } from './layout';
import { PayButton } from './pay-button';

/** A charge created or activated with user_notification (seeds 002/004). */
export function ChargeEmail({ m }: { m: ChargeMessage }) {
  const t = textsFor(m.locale);
  return (
    <Layout
      brand={m.brand}
      locale={m.locale}
      preview={t.charge.intro(m.brand.merchantName)}
      greeting={t.greeting(m.maskedName)}
    >
      <Text style={{ fontSize: 14 }}>{t.charge.intro(m.brand.merchantName)}</Text>
      <Text style={{ fontSize: 15, fontWeight: 600 }}>{m.description}</Text>
      <Field label={t.charge.amountDue} value={formatAmount(m.amountDue, m.currency, m.locale)} />
      {m.dueDate ? <Field label={t.charge.dueDate} value={formatDate(m.dueDate, m.locale)} /> : null}
      {m.incentiveUntil ? (
        <Field label={t.charge.incentiveUntil} value={formatDate(m.incentiveUntil, m.locale)} />
      ) : null}
      <Section style={{ paddingTop: 12 }}>
        <PayButton label={t.charge.button} href={m.url} color={m.brand.color} />
      </Section>
    </Layout>
  );
}
