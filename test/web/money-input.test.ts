import { describe, expect, test } from 'vitest';
import type { Currency } from '../../shared/money';
import { checkAmount, parseAmountInput } from '../../web/lib/amount-input';
import { displayLocale, formatIsoDate, formatMoney } from '../../web/lib/format-money';

const nbsp = (s: string) => s.replace(/\s/g, ' ');

describe('formatMoney', () => {
  test.each<[string, Currency, string, string]>([
    ['25000', 'COP', 'es-CO', '$ 25.000'],
    ['1250000', 'COP', 'es-CO', '$ 1.250.000'],
    ['0', 'COP', 'es-CO', '$ 0'],
    ['25.50', 'USD', 'es-CO', 'US$ 25,50'],
    ['25000', 'COP', 'en-CO', 'COP 25,000'],
    ['100.00', 'USD', 'en-CO', '$100.00'],
    ['999999999999999.99', 'USD', 'en-US', '$999,999,999,999,999.99'],
  ])('%s %s in %s is %s', (amount, currency, locale, expected) => {
    expect(nbsp(formatMoney(amount, currency, locale))).toBe(expected);
  });

  test('a date is a calendar day in any time zone', () => {
    expect(formatIsoDate('2025-03-15', 'es-CO')).toBe('15 de marzo de 2025');
    expect(formatIsoDate('2025-03-01', 'en-CO')).toMatch(/March 1, 2025|1 March 2025/);
  });

  test('the display locale is the UI language with the merchant region', () => {
    expect(displayLocale('es', 'es-CO')).toBe('es-CO');
    expect(displayLocale('en', 'es-CO')).toBe('en-CO');
    expect(displayLocale('es', 'es')).toBe('es');
  });
});

describe('parseAmountInput', () => {
  test.each<[string, Currency, bigint | null]>([
    ['15000', 'COP', 15000n],
    ['15.000', 'COP', 15000n],
    ['15,000', 'COP', 15000n],
    ['$ 1.250.000', 'COP', 1250000n],
    ['15000,00', 'COP', 15000n],
    ['15000.5', 'COP', null],
    ['25.50', 'USD', 2550n],
    ['25,50', 'USD', 2550n],
    ['1.234,56', 'USD', 123456n],
    ['1,234.56', 'USD', 123456n],
    // Ambiguous in USD; read like Colombians write (the field shows what it understood).
    ['25.505', 'USD', 2550500n],
    ['25.5055', 'USD', null],
    ['', 'COP', null],
    ['-5000', 'COP', null],
    ['abc', 'COP', null],
    ['1e5', 'COP', null],
    ['1,2,3', 'COP', null],
    ['12.34.5', 'COP', null],
  ])('%s %s → %s', (text, currency, expected) => {
    expect(parseAmountInput(text, currency)).toBe(expected);
  });

  test('checkAmount accepts the balance or a partial amount in [minimum, balance − minimum]', () => {
    expect(checkAmount('9999', 'COP', '10000', '15000', '25000')).toEqual({ ok: false, reason: 'range' });
    expect(checkAmount('10000', 'COP', '10000', '15000', '25000')).toEqual({
      ok: true,
      units: 10000n,
      text: '10000',
    });
    expect(checkAmount('15.000', 'COP', '10000', '15000', '25000')).toMatchObject({ ok: true });
    // 20.000 of 25.000 would leave 5.000, under the 10.000 minimum.
    expect(checkAmount('20000', 'COP', '10000', '15000', '25000')).toEqual({
      ok: false,
      reason: 'remainder',
    });
    expect(checkAmount('25.000', 'COP', '10000', '15000', '25000')).toEqual({
      ok: true,
      units: 25000n,
      text: '25000',
    });
    expect(checkAmount('25001', 'COP', '10000', '15000', '25000')).toEqual({ ok: false, reason: 'range' });
    expect(checkAmount('diez mil', 'COP', '10000', '15000', '25000')).toEqual({
      ok: false,
      reason: 'format',
    });
    expect(checkAmount('30.5', 'USD', '16.50', '33.50', '50.00')).toEqual({
      ok: true,
      units: 3050n,
      text: '30.50',
    });
  });
});
