import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Heading } from '@react-email/heading';
import { Hr } from '@react-email/hr';
import { Html } from '@react-email/html';
import { Img } from '@react-email/img';
import { Preview } from '@react-email/preview';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import type { ReactNode } from 'react';
import type { Brand, MessageLocale } from '../../messages/models';
import { textsFor } from '../../messages/texts';

/**
 * The frame every email shares: the merchant's name and colour band (and logo when configured), a greeting,
 * the body, and a footer. React Email turns it into table-based HTML with inline styles that Gmail, Outlook
 * and Apple Mail render alike; nothing here needs script or external CSS.
 */
export const FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export function Layout(props: {
  brand: Brand;
  locale: MessageLocale;
  preview: string;
  greeting: string;
  children: ReactNode;
}) {
  const t = textsFor(props.locale);
  return (
    <Html lang={props.locale === 'en-US' ? 'en' : 'es'}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: '#f4f5f7', margin: 0, padding: '24px 0', fontFamily: FONT }}>
        <Container style={{ maxWidth: 600, backgroundColor: '#ffffff', borderRadius: 8 }}>
          <Section
            style={{ backgroundColor: props.brand.color, borderRadius: '8px 8px 0 0', padding: '20px 24px' }}
          >
            {props.brand.logoUrl ? (
              <Img src={props.brand.logoUrl} alt={props.brand.merchantName} height={40} />
            ) : null}
            <Heading as="h1" style={{ color: '#ffffff', fontSize: 20, margin: 0 }}>
              {props.brand.merchantName}
            </Heading>
          </Section>
          <Section style={{ padding: '8px 24px 16px' }}>
            <Text style={{ fontSize: 16, color: '#1f2933' }}>{props.greeting}</Text>
            {props.children}
          </Section>
          <Hr style={{ borderColor: '#e4e7eb', margin: 0 }} />
          <Section style={{ padding: '12px 24px' }}>
            <Text style={{ fontSize: 12, color: '#616e7c', margin: 0 }}>
              {t.footer(props.brand.merchantName)}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** A label and its value on one line. */
export function Field(props: { label: string; value: string }) {
  return (
    <Text style={{ fontSize: 14, color: '#1f2933', margin: '4px 0' }}>
      <span style={{ color: '#616e7c' }}>{props.label}: </span>
      <strong>{props.value}</strong>
    </Text>
  );
}
