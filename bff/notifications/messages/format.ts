/**
 * Money and dates in a message's locale: the SPA's own formatters (shared/format.ts), so an email says
 * "$ 25.000" and "27 de noviembre de 2026" exactly as the payer's page does.
 */
export { formatMoney as formatAmount, formatIsoDate as formatDate } from '../../../shared/format';
