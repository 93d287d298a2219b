import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { formatAmount } from '../../messages/format';
import type { ReminderMessage } from '../../messages/models';
import { textsFor } from '../../messages/texts';
import { Field, Layout } from './layout';
import { PayButton } from './pay-button';

/** A `fixed[]` late-fee or incentive entry with `reminder: true` reached its date (seed 002). */
export function ReminderEmail({ m }: { m: ReminderMessage }) {
  const t = textsFor(m.locale);
  const why = m.event === 'late_fee' ? t.reminder.lateFee : t.reminder.incentiveEnd;
  return (
    <Layout brand={m.brand} locale={m.locale} preview={why} greeting={t.greeting(m.maskedName)}>
      <Text style={{ fontSize: 14 }}>{why}</Text>
      <Text style={{ fontSize: 15, fontWeight: 600 }}>{m.description}</Text>
      <Field label={t.reminder.amountDue} value={formatAmount(m.amountDue, m.currency, m.locale)} />
      <Section style={{ paddingTop: 12 }}>
        <PayButton label={t.reminder.button} href={m.url} color={m.brand.color} />
      </Section>
    </Layout>
  );
}
