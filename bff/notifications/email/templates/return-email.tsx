import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import type { ReturnMessage } from '../../messages/models';
import { formatArrival, returnAmount, returnTextsFor } from '../../messages/return-texts';
import { textsFor } from '../../messages/texts';
import { Field, Layout } from './layout';
import { PayButton } from './pay-button';

/** Money going back to the payer (docs/spec/money-back.md "Payer notices"): one email per event. */
export function ReturnEmail({ m }: { m: ReturnMessage }) {
  const t = returnTextsFor(m.locale);
  const amount = returnAmount(m);
  const arrival = m.event === 'sent' ? formatArrival(m.expectedArrival, m.locale) : null;
  return (
    <Layout
      brand={m.brand}
      locale={m.locale}
      preview={t.intro(m, amount)}
      greeting={textsFor(m.locale).greeting(m.maskedName)}
    >
      <Text style={{ fontSize: 14 }}>{t.intro(m, amount)}</Text>
      <Field label={t.reference} value={m.reference} />
      <Field label={t.amount} value={amount} />
      {m.bankAccount ? <Field label={t.account} value={m.bankAccount} /> : null}
      {arrival ? <Field label={t.arrival} value={arrival} /> : null}
      <Section style={{ paddingTop: 12 }}>
        <PayButton label={t.button(m.event)} href={m.url} color={m.brand.color} />
      </Section>
      <Text style={{ fontSize: 12, color: '#52606d' }}>{t.linkNote}</Text>
    </Layout>
  );
}
