import { Link } from '@react-email/link';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { formatAmount, formatDate } from '../../messages/format';
import type { StatementMessage } from '../../messages/models';
import { textsFor } from '../../messages/texts';
import { Field, Layout } from './layout';
import { PayButton } from './pay-button';

/** Seed 000's statement: every pending item with its own "Paga con PayU" (grey and link-less when not payable). */
export function StatementEmail({ m }: { m: StatementMessage }) {
  const t = textsFor(m.locale);
  const asOf = formatDate(m.asOf, m.locale);
  return (
    <Layout
      brand={m.brand}
      locale={m.locale}
      preview={t.statement.intro(m.brand.merchantName, asOf)}
      greeting={t.greeting(m.maskedName)}
    >
      <Text style={{ fontSize: 14, color: '#1f2933' }}>{t.statement.intro(m.brand.merchantName, asOf)}</Text>
      {m.items.length === 0 ? <Text style={{ fontSize: 14 }}>{t.statement.empty}</Text> : null}
      {m.items.map((item) => (
        <Section
          key={item.ref}
          style={{ border: '1px solid #e4e7eb', borderRadius: 6, padding: '12px 16px', margin: '12px 0' }}
        >
          <Text style={{ fontSize: 15, fontWeight: 600, color: '#1f2933', margin: '0 0 6px' }}>
            {item.description}
          </Text>
          {item.references.length > 0 ? (
            <Field label={t.statement.references} value={item.references.join(' · ')} />
          ) : null}
          {item.limitDate ? (
            <Field label={t.statement.limitDate} value={formatDate(item.limitDate, m.locale)} />
          ) : null}
          <Field label={t.statement.due} value={formatAmount(item.due, item.currency, m.locale)} />
          <Section style={{ paddingTop: 8 }}>
            <PayButton
              label={t.statement.payButton}
              href={item.payUrl}
              color={m.brand.color}
              {...(item.blockedReason
                ? {
                    reason: t.statement.blocked(
                      item.blockedReason,
                      formatAmount(item.minimum, item.currency, m.locale),
                    ),
                  }
                : {})}
            />
          </Section>
        </Section>
      ))}
      {m.totals.map((total) => (
        <Field
          key={total.currency}
          label={t.statement.total}
          value={formatAmount(total.amount, total.currency, m.locale)}
        />
      ))}
      <Text style={{ fontSize: 14 }}>
        <Link href={m.statementUrl} style={{ color: m.brand.color }}>
          {t.statement.openAll}
        </Link>
      </Text>
    </Layout>
  );
}
