import { z } from 'zod';
import { parseIsoDate } from '../dates';
import {
  CURRENCIES,
  isCurrency,
  parseDecimal,
  toMinor,
  toPositiveMinor,
  type Currency,
  type Decimal,
} from '../money';
import { lateFeePolicySchema, type LateFeePolicy } from '../pricing/late-fee-policy';
import type { TaxBases } from '../business/withholding';
import type { Advance, DiscountRule, ErpItem } from './erp-item';

/**
 * Reads a Recauda ERP answer (seed 003, docs/spec/erp-recauda.md): strict about what decides money and whose debt it
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

/*
 * Speed (bench/pricing-10k.ts: a 10,000-item answer must be read and priced in at most twice the time
 * JSON.parse takes): the per-item work below avoids what dominated the profile — zod parsing every item,
 * a `Date` per date, a regex and bigint arithmetic per amount, Unicode normalisation and URL parsing per
 * item although an answer repeats the same few values — and allocates little besides the items themselves.
 */

/**
 * What `recaudaInformationSchema.safeParse(value)` returns as `data`, or null where it fails, written out by
 * hand (trim, upper-case, 1–191 characters counted in code points as zod counts them, finite numbers only).
 *
 * Trade-off: the zod schema stays the documented contract of the ERP payload, but parsing it per item was
 * the largest single cost of reading one (a union tried per field, an issue object per failed branch, the
 * parse bookkeeping), and a second description of the same rules is the price of removing it. This check must agree with the schema exactly: test/shared/erp/information-agreement.test.ts
 * asserts with fast-check that both accept and reject the same values and normalise them identically, so
 * a change to one that is not made to the other fails the suite. Like zod, it reads the fields as
 * properties (inherited ones included); it reads fewer of them once a field fails, which only a getter
 * could observe, and the ERP client hands over JSON.parse output, which has none.
 */
export function readRecaudaInformation(value: unknown): z.infer<typeof recaudaInformationSchema> | null {
  if (!isRecord(value)) return null;
  const ref = value.ref_payment;
  let refText: string;
  if (typeof ref === 'string') {
    refText = ref.trim();
    if (refText.length === 0 || !withinCodePoints(refText, MAX_TEXT)) return null;
  } else if (typeof ref === 'number' && Number.isFinite(ref)) {
    // String(number) is never blank, never padded and far below the limit.
    refText = String(ref);
  } else {
    return null;
  }
  const amount = value.amount;
  if (typeof amount !== 'string' && !(typeof amount === 'number' && Number.isFinite(amount))) return null;
  const currency = readCurrency(value.currency_type);
  if (currency === null) return null;
  const description = value.description;
  if (typeof description !== 'string') return null;
  const descriptionText = description.trim();
  if (descriptionText.length === 0 || !withinCodePoints(descriptionText, MAX_TEXT)) return null;
  const idNumber = value.id_number;
  if (
    idNumber !== undefined &&
    idNumber !== null &&
    typeof idNumber !== 'string' &&
    !(typeof idNumber === 'number' && Number.isFinite(idNumber))
  ) {
    return null;
  }
  return {
    ref_payment: refText,
    amount,
    currency_type: currency,
    description: descriptionText,
    id_number: idNumber,
    payer_name: value.payer_name,
    advance: value.advance,
    metadata: value.metadata,
  };
}

const MAX_TEXT = 191;

/** zod's `.max(n)` on a string: at most n code points (a surrogate pair counts once). */
function withinCodePoints(text: string, max: number): boolean {
  const units = text.length;
  if (units <= max) return true;
  if (units > max * 2) return false;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count <= max;
}

function readCurrency(v: unknown): Currency | null {
  if (typeof v !== 'string') return null;
  // Exact codes, what the ERP sends, skip the string work.
  if (v === 'COP' || v === 'USD' || v === 'EUR') return v;
  const code = v.trim().toUpperCase();
  return isCurrency(code) ? code : null;
}

const DIGITS_ONLY = /^\d+$/;

/** The id the ERP states for an item, normalised like a payer's input (separators and `-D` removed). */
function normalizeStatedId(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null) return null;
  const text = String(v).replace(/[\s.,]/g, '');
  if (text === '') return null;
  const m = /^(\d+)(?:-\d)?$/.exec(text);
  return m?.[1] ?? 'invalid';
}

/*
 * Small memo tables for pure functions of one string (or of a key standing for a few primitives). An ERP
 * answer repeats a handful of option types, URLs and late-fee policies across thousands of items. Bounded:
 * when a table is full it is emptied, so hostile input costs at worst what no table would.
 */
const MEMO_MAX_ENTRIES = 256;
/** Longer keys are rare and not worth the memory (at most 256 × 1024 characters per table): recomputed. */
const MEMO_MAX_KEY = 1024;

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (key.length > MEMO_MAX_KEY) return value;
  if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
  memo.set(key, value);
  return value;
}

const foldedTexts = new Map<string, string>();

function foldText(v: string): string {
  const known = v.length <= MEMO_MAX_KEY ? foldedTexts.get(v) : undefined;
  if (known !== undefined) return known;
  const folded = v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  return remember(foldedTexts, v, folded);
}

/** 100 % at a decimal's scale (100 × 10^scale), for the usual scales without bigint exponentiation. */
const HUNDRED_PERCENT = [100n, 1_000n, 10_000n, 100_000n, 1_000_000n, 10_000_000n, 100_000_000n];

function isValidPercent(percent: Decimal | null): percent is Decimal {
  if (!percent || percent.int <= 0n) return false;
  const cap = HUNDRED_PERCENT[percent.scale] ?? 100n * 10n ** BigInt(percent.scale);
  return percent.int <= cap;
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
    if (!isValidPercent(percent)) return 'invalid';
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
    if (!isValidPercent(percent)) return 'invalid';
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

function urlProtocol(url: string): string | null {
  try {
    return new URL(url).protocol;
  } catch {
    return null;
  }
}

const pictureVerdicts = new Map<string, boolean>();

function readPicture(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 250) return 'invalid';
  const ok = pictureVerdicts.get(v) ?? remember(pictureVerdicts, v, urlProtocol(v) === 'https:');
  return ok ? v : 'invalid';
}

const webhookVerdicts = new Map<string, boolean>();

function readWebhook(v: unknown): string | null | 'invalid' {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) return 'invalid';
  const url = v.webhook;
  if (url === undefined || url === null) return null;
  if (typeof url !== 'string' || url.length > 2048) return 'invalid';
  let ok = webhookVerdicts.get(url);
  if (ok === undefined) {
    const protocol = urlProtocol(url);
    ok = remember(webhookVerdicts, url, protocol === 'https:' || protocol === 'http:');
  }
  return ok ? url : 'invalid';
}

/**
 * One token of a memo key, or null for a value that is not a primitive. Tokens are self-delimiting
 * (strings carry their length, numbers end with `;`), so different sequences of values never share a key.
 */
function keyToken(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return `s${v.length}:${v}`;
    case 'number':
      return Object.is(v, -0) ? 'n-0;' : `n${v};`;
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'u';
    default:
      return v === null ? 'z' : null;
  }
}

/**
 * A key that stands for everything lateFeePolicySchema reads of `v` — the discriminator, then the fields of
 * that option — when all of it is primitive, so the schema's answer is a function of the key. Null when
 * `v` is anything else: then the schema runs uncached.
 */
function lateFeeKey(v: unknown): string | null {
  if (!isRecord(v)) return null;
  const kind = v.condition_type;
  if (kind === 'automated') {
    const type = keyToken(v.type);
    const value = keyToken(v.value);
    const frequency = keyToken(v.frequency);
    const limit = keyToken(v.limit);
    if (type === null || value === null || frequency === null || limit === null) return null;
    return `a${type}${value}${frequency}${limit}`;
  }
  if (kind !== 'fixed') return null;
  const fixed = v.fixed;
  if (!Array.isArray(fixed) || fixed.length > 100) return null;
  let key = `f${fixed.length}:`;
  for (let i = 0; i < fixed.length; i++) {
    const entry: unknown = fixed[i];
    if (!isRecord(entry)) return null;
    const date = keyToken(entry.date);
    const value = keyToken(entry.value);
    if (date === null || value === null) return null;
    key += date + value;
    if (key.length > MEMO_MAX_KEY) return null;
  }
  return key;
}

/**
 * Copies parsed JSON-like data. Each item gets a policy object of its own, as when zod parsed every item:
 * sharing one across items (and with the memo) would let a change to one item's policy reach the others.
 */
function copyData<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(copyData(v[i] as unknown));
    return out as T;
  }
  const out: Item = {};
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) out[k] = copyData((v as Item)[k]);
  return out as T;
}

/** Parsed policies (null: refused) by lateFeeKey. */
const lateFeePolicies = new Map<string, LateFeePolicy | null>();

function readLateFees(v: unknown): LateFeePolicy | 'invalid' {
  const key = lateFeeKey(v);
  if (key === null) {
    const parsed = lateFeePolicySchema.safeParse(v);
    return parsed.success ? parsed.data : 'invalid';
  }
  let policy = lateFeePolicies.get(key);
  if (policy === undefined) {
    const parsed = lateFeePolicySchema.safeParse(v);
    policy = remember(lateFeePolicies, key, parsed.success ? parsed.data : null);
  }
  return policy === null ? 'invalid' : copyData(policy);
}

const MAX_METADATA_CHARS = 16 * 1024;
const MAX_METADATA_WALK_DEPTH = 32;
/** The longest String(number): a sign, "0.", 5 zeros and 17 significant digits. */
const MAX_NUMBER_CHARS = 25;

/**
 * An upper bound on JSON.stringify(v).length when `v` is plain data that JSON.stringify cannot fail on or
 * call into (strings, numbers, booleans, null, and arrays and plain objects of those without toJSON, at
 * most MAX_METADATA_WALK_DEPTH deep); -1 when it is anything else or, inside arrays and objects, the bound
 * passes MAX_METADATA_CHARS.
 * A string counts 6 characters per unit, the most an escape takes. Inherited enumerable keys are counted
 * too, which only raises the bound.
 */
function jsonLengthBound(v: unknown, depth: number): number {
  switch (typeof v) {
    case 'string':
      return 2 + 6 * v.length;
    case 'number':
      return MAX_NUMBER_CHARS;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      return -1;
  }
  if (v === null) return 4;
  if (depth >= MAX_METADATA_WALK_DEPTH) return -1;
  let total = 2;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || (v as unknown as Item).toJSON !== undefined)
      return -1;
    for (let i = 0; i < v.length; i++) {
      const n = jsonLengthBound(v[i], depth + 1);
      if (n < 0) return -1;
      total += n + 1;
      if (total > MAX_METADATA_CHARS) return -1;
    }
    return total;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || (v as Item).toJSON !== undefined) return -1;
  for (const key in v) {
    const n = jsonLengthBound((v as Item)[key], depth + 1);
    if (n < 0) return -1;
    total += 2 + 6 * key.length + 1 + n + 1;
    if (total > MAX_METADATA_CHARS) return -1;
  }
  return total;
}

/**
 * Metadata is passed through to merchant webhooks and stored with the checkout, so it must serialise:
 * absurdly deep or large metadata is dropped (warned) rather than failing the payment later. Plain data
 * whose JSON text is bounded within the limit is kept without serialising it (a string per item, only to
 * measure it); anything the bound cannot vouch for is serialised and measured as before.
 */
function readMetadata(v: unknown, warn: (field: string) => void): unknown {
  if (v === undefined || v === null) return null;
  try {
    const bound = jsonLengthBound(v, 0);
    if (bound >= 0 && bound <= MAX_METADATA_CHARS) return v;
  } catch {
    // A getter threw: let JSON.stringify decide, as it always did.
  }
  try {
    const text = JSON.stringify(v);
    if (text.length <= MAX_METADATA_CHARS) return v;
  } catch {
    // Too deep to serialise.
  }
  warn('metadata');
  return null;
}

/** `taxes: { subtotal, iva }` (portal extension): both non-negative amounts, read like every amount. */
function readTaxes(v: unknown, currency: Currency): TaxBases | null {
  if (!isRecord(v)) return null;
  const amount = (x: unknown) =>
    typeof x === 'string' || typeof x === 'number' ? toMinor(x, currency) : x === undefined ? 0n : null;
  const subtotal = amount(v.subtotal);
  const iva = amount(v.iva);
  if (subtotal === null || iva === null || subtotal < 0n || iva < 0n) return null;
  return { subtotal, iva };
}

/** Stands for absent advanced options; never written to, never returned. */
const NO_OPTIONS: Item = Object.freeze({});

/**
 * @param askedId the normalised id number the portal asked for; items stating another id are skipped.
 */
export function readErpPayload(body: unknown, askedId: string): ErpReadOutcome {
  // erpEnvelopeSchema, checked by hand: an object whose `payments` is an array (zod would also copy it).
  if (!isRecord(body)) return { ok: false, error: 'erp_bad_response' };
  const payments = body.payments;
  if (!Array.isArray(payments)) return { ok: false, error: 'erp_bad_response' };

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
  // An item stating exactly the (digits-only) id asked for needs no normalising: the common case.
  const askedIsDigits = DIGITS_ONLY.test(askedId);

  for (let i = 0; i < payments.length; i++) {
    const raw: unknown = payments[i];
    if (!isRecord(raw) || !isRecord(raw.recauda_information)) {
      skip('not_an_object');
      continue;
    }
    const r = readRecaudaInformation(raw.recauda_information);
    if (r === null) {
      skip('invalid_fields');
      continue;
    }
    if (!(askedIsDigits && r.id_number === askedId)) {
      const statedId = normalizeStatedId(r.id_number);
      if (statedId !== null && statedId !== askedId) {
        skip('other_payer');
        continue;
      }
    }
    const amount = toPositiveMinor(r.amount, r.currency_type);
    if (amount === null) {
      skip('invalid_amount');
      continue;
    }
    // The seeds also write `advanded_options`. Whichever of the two is an object is read, the correct
    // spelling first (docs/spec/erp-recauda.md): `advanced_options: null` beside a filled misspelt one must
    // not hide its late fees.
    const correct = raw.advanced_options;
    const misspelt = raw.advanded_options;
    let options = NO_OPTIONS;
    if (isRecord(correct)) options = correct;
    else if (isRecord(misspelt)) options = misspelt;
    else if ((correct ?? misspelt ?? null) !== null) warn('advanced_options');

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
      const parsed = readLateFees(options.late_fees);
      if (parsed !== 'invalid') lateFees = parsed;
      else warn('late_fees');
    }
    // docs/spec/http-api.md's example shows `label: null` for seed item 1234567 (has_comments false, a label given):
    // a label only means something when the comment box is offered.
    const hasComments = options.has_comments === true;
    const labelRaw = options.comments_label;
    let label: string | null = null;
    if (hasComments && typeof labelRaw === 'string') {
      const trimmed = labelRaw.trim();
      if (trimmed !== '') label = trimmed.slice(0, 100);
    }
    let taxes = null;
    if (options.taxes !== undefined && options.taxes !== null) {
      taxes = readTaxes(options.taxes, r.currency_type);
      if (taxes === null) warn('taxes');
    }
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
      comments: { enabled: hasComments, label },
      lateFees,
      expiration: options.expiration === true,
      taxes: taxes ?? undefined,
    });
  }
  return { ok: true, value: { items, skipped, duplicates, skipReasons, warnings } };
}
