import { z } from 'zod';
import { parseIsoDate } from '../dates';
import { CURRENCIES, parseDecimal, toMinor, toPositiveMinor, type Currency } from '../money';
import { lateFeePolicySchema } from '../pricing/late-fee-policy';
import type { Advance, DiscountRule, ErpItem } from './erp-item';

/**
 * Reads a Recauda ERP answer (seed 003, erp-recauda.md): strict about what decides money and whose debt it
 * is, tolerant of the rest. The envelope must be `{ payments: [...] }`; a bad item is skipped and counted;
 * a bad optional part (discount, advance, late fees, picture…) is dropped and reported as a warning that
 * names only the field, never a value.
 */
export const erpEnvelopeSchema = z.object({ payments: z.array(z.unknown()) });

const textish = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

export const recaudaInformationSchema = z.object({
  ref_payment: textish.pipe(z.string().min(1).max(191)),
  amount: z.union([z.string(), z.number()]),
  currency_type: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .pipe(z.enum(CURRENCIES)),
  description: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().min(1).max(191)),
  id_number: z.union([z.string(), z.number(), z.null()]).optional(),
  payer_name: z.unknown().optional(),
  advance: z.unknown().optional(),
  metadata: z.unknown().optional(),
});

export type SkipReason =
  'not_an_object' | 'invalid_fields' | 'invalid_amount' | 'other_payer' | 'invalid_delivery';

export interface ErpReadResult {
  readonly items: ErpItem[];
  readonly skipped: number;
  readonly duplicates: number;
  /** Why items were skipped, counted per reason (for logs; no personal data). */
  readonly skipReasons: Partial<Record<SkipReason, number>>;
  /** Optional parts that were ignored, by field name (for logs; no personal data). */
  readonly warnings: Partial<Record<string, number>>;
}

export type ErpReadOutcome = { ok: true; value: ErpReadResult } | { ok: false; error: 'erp_bad_response' };

type Item = Record<string, unknown>;

function isRecord(v: unknown): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The id the ERP states for an item, normalised like a payer's input (separators and `-D` removed). */
function normalizeStatedId(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null) return null;
  const text = String(v).replace(/[\s.,]/g, '');
  if (text === '') return null;
  const m = /^(\d+)(?:-\d)?$/.exec(text);
  return m?.[1] ?? 'invalid';
}

function foldText(v: string): string {
  return v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

function readAdvance(v: unknown, currency: Currency): Advance | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (!isRecord(v) || typeof v.type !== 'string') return 'invalid';
  const type = foldText(v.type);
  const value = v.value;
  if (type === 'valor minimo') {
    const minor = toPositiveMinor(value, currency);
    return minor === null ? 'invalid' : { type: 'minimum_amount', value: minor };
  }
  if (type === 'porcentaje minimo') {
    const percent = typeof value === 'string' || typeof value === 'number' ? parseDecimal(value) : null;
    if (!percent || percent.int <= 0n || percent.int > 100n * 10n ** BigInt(percent.scale)) return 'invalid';
    return { type: 'minimum_percent', percent };
  }
  return 'invalid';
}

function readDiscount(v: unknown, currency: Currency): DiscountRule | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (!isRecord(v) || typeof v.type !== 'string') return 'invalid';
  const beforeOn = parseIsoDate(v.before_on);
  if (!beforeOn) return 'invalid';
  const type = foldText(v.type);
  if (type === 'porcentaje') {
    const percent = typeof v.value === 'string' || typeof v.value === 'number' ? parseDecimal(v.value) : null;
    if (!percent || percent.int <= 0n || percent.int > 100n * 10n ** BigInt(percent.scale)) return 'invalid';
    return { type: 'percent', beforeOn, percent };
  }
  if (type === 'valor') {
    const value = toPositiveMinor(v.value, currency);
    return value === null ? 'invalid' : { type: 'amount', beforeOn, value };
  }
  return 'invalid';
}

function readDelivery(v: unknown, currency: Currency): bigint | 'invalid' {
  if (v === undefined || v === null) return 0n;
  if (!isRecord(v) || typeof v.type !== 'string') return 'invalid';
  const type = foldText(v.type);
  if (type === 'gratis') return 0n;
  if (type !== 'con valor') return 'invalid';
  if (typeof v.value !== 'string' && typeof v.value !== 'number') return 'invalid';
  const value = toMinor(v.value, currency);
  return value === null || value < 0n ? 'invalid' : value;
}

function readReferences(v: unknown): string[] | 'invalid' {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return 'invalid';
  const out: string[] = [];
  for (const r of v) {
    if (typeof r !== 'string' && typeof r !== 'number') continue;
    const text = String(r).trim();
    if (text !== '' && text.length <= 50) out.push(text);
    if (out.length === 3) break;
  }
  return out;
}

function readPicture(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 250) return 'invalid';
  try {
    return new URL(v).protocol === 'https:' ? v : 'invalid';
  } catch {
    return 'invalid';
  }
}

function readWebhook(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) return 'invalid';
  const url = v.webhook;
  if (url === undefined || url === null) return null;
  if (typeof url !== 'string' || url.length > 2048) return 'invalid';
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? url : 'invalid';
  } catch {
    return 'invalid';
  }
}

const MAX_METADATA_CHARS = 16 * 1024;

/**
 * Metadata is passed through to merchant webhooks and stored with the checkout, so it must serialise:
 * absurdly deep or large metadata is dropped (warned) rather than failing the payment later.
 */
function readMetadata(v: unknown, warn: (field: string) => void): unknown {
  if (v === undefined || v === null) return null;
  try {
    const text = JSON.stringify(v);
    if (text.length <= MAX_METADATA_CHARS) return v;
  } catch {
    // Too deep to serialise.
  }
  warn('metadata');
  return null;
}

/**
 * @param askedId the normalised id number the portal asked for; items stating another id are skipped.
 */
export function readErpPayload(body: unknown, askedId: string): ErpReadOutcome {
  const envelope = erpEnvelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, error: 'erp_bad_response' };

  const items: ErpItem[] = [];
  const seen = new Set<string>();
  const skipReasons: Partial<Record<SkipReason, number>> = {};
  const warnings: Partial<Record<string, number>> = {};
  let skipped = 0;
  let duplicates = 0;
  const skip = (reason: SkipReason) => {
    skipped++;
    skipReasons[reason] = (skipReasons[reason] ?? 0) + 1;
  };
  const warn = (field: string) => {
    warnings[field] = (warnings[field] ?? 0) + 1;
  };

  for (const raw of envelope.data.payments) {
    if (!isRecord(raw) || !isRecord(raw.recauda_information)) {
      skip('not_an_object');
      continue;
    }
    const info = recaudaInformationSchema.safeParse(raw.recauda_information);
    if (!info.success) {
      skip('invalid_fields');
      continue;
    }
    const r = info.data;
    const statedId = normalizeStatedId(r.id_number);
    if (statedId !== null && statedId !== askedId) {
      skip('other_payer');
      continue;
    }
    const amount = toPositiveMinor(r.amount, r.currency_type);
    if (amount === null) {
      skip('invalid_amount');
      continue;
    }
    // Prefer the correct spelling; the seed also writes `advanded_options`.
    const optionsRaw = 'advanced_options' in raw ? raw.advanced_options : raw.advanded_options;
    let options: Item = {};
    if (isRecord(optionsRaw)) options = optionsRaw;
    else if (optionsRaw !== null && optionsRaw !== undefined) warn('advanced_options');

    const delivery = readDelivery(options.delivery_service, r.currency_type);
    if (delivery === 'invalid') {
      // Delivery is money the payer owes: guessing it would over- or under-charge, so the item is not shown.
      skip('invalid_delivery');
      continue;
    }
    if (seen.has(r.ref_payment)) {
      duplicates++;
      continue;
    }
    seen.add(r.ref_payment);

    const advance = readAdvance(r.advance, r.currency_type);
    if (advance === 'invalid') warn('advance');
    let limitDate = null;
    if (options.limit_date !== undefined && options.limit_date !== null) {
      limitDate = parseIsoDate(options.limit_date);
      if (!limitDate) warn('limit_date');
    }
    const discount = readDiscount(options.discount, r.currency_type);
    if (discount === 'invalid') warn('discount');
    const references = readReferences(options.references);
    if (references === 'invalid') warn('references');
    const picture = readPicture(options.picture);
    if (picture === 'invalid') warn('picture');
    const webhookUrl = readWebhook(options.result_urls);
    if (webhookUrl === 'invalid') warn('result_urls');
    let lateFees = null;
    if (options.late_fees !== undefined && options.late_fees !== null) {
      const parsed = lateFeePolicySchema.safeParse(options.late_fees);
      if (parsed.success) lateFees = parsed.data;
      else warn('late_fees');
    }
    // http-api.md's example shows `label: null` for seed item 1234567 (has_comments false, a label given):
    // a label only means something when the comment box is offered.
    const label =
      options.has_comments === true &&
      typeof options.comments_label === 'string' &&
      options.comments_label.trim() !== ''
        ? options.comments_label.trim().slice(0, 100)
        : null;
    const payerName =
      typeof r.payer_name === 'string' && r.payer_name.trim() !== '' ? r.payer_name.trim() : null;

    items.push({
      ref: r.ref_payment,
      description: r.description,
      currency: r.currency_type,
      amount,
      payerName,
      advance: advance === 'invalid' ? null : advance,
      metadata: readMetadata(r.metadata, warn),
      limitDate,
      discount: discount === 'invalid' ? null : discount,
      delivery,
      requestAddressDelivery: options.request_address_delivery === true,
      references: references === 'invalid' ? [] : references,
      picture: picture === 'invalid' ? null : picture,
      webhookUrl: webhookUrl === 'invalid' ? null : webhookUrl,
      comments: { enabled: options.has_comments === true, label },
      lateFees,
      expiration: options.expiration === true,
    });
  }
  return { ok: true, value: { items, skipped, duplicates, skipReasons, warnings } };
}
