import { createHash, randomBytes } from 'node:crypto';
import { payerFingerprint } from '../crypto/sealed-box';
import type {
  CheckoutRequest,
  CheckoutResponse,
  ErrorCode,
  ErrorDetails,
  FieldError,
} from '../../shared/api/schemas';
import { formatMinor, parseAmountText, PRECISION, type Currency } from '../../shared/money';
import { checkPayAmount, payableRange, type PricedItem } from '../../shared/pricing/price-item';
import type { MerchantConfig } from '../config/config-schema';
import { buildPayuForm, newPaymentReference } from '../payu/form';
import type { CheckoutItemRecord, CheckoutRecord } from '../store/store';
import type { AppDeps } from '../app-deps';
import type { WithholdingLine } from '../../shared/business/withholding';
import { settleWithWithholdings } from '../../shared/business/withholding';
import { spreadOverLookup } from './allocate-service';
import { lookupPayer } from './lookup-service';
import { cashMinimum } from './withholding-offers';
import { calendarDateIn } from '../../shared/dates';
import { chargeToItem, isVisible, itemKey } from '../charges/charge-item';
import type { ChargeRecord } from '../store/charge-store';
import { priceItems, type ErpFailure } from './lookup-service';

type Priced =
  | {
      readonly ok: true;
      readonly items: readonly PricedItem[];
      readonly withholdings: ReadonlyMap<string, readonly WithholdingLine[]>;
      /** The ERP failed: only the payer's charges are priced; an ERP item cannot be checked out now. */
      readonly erpFailure?: ErpFailure;
    }
  | { readonly ok: false; readonly status: 404 | 502 | 504; readonly code: ErrorCode };

/** Fresh prices: the payer's whole lookup, or the one charge of a charge link (re-read from the store). */
async function pricedFor(
  deps: AppDeps,
  merchant: MerchantConfig,
  payer: CheckoutPayer,
  now: Date,
): Promise<Priced> {
  if (payer.kind === 'id') {
    const lookup = await lookupPayer(deps, merchant, payer.idNumber, now, {
      nit: payer.nit === true,
      allowPartial: true,
    });
    if (!lookup.ok) return lookup;
    return {
      ok: true,
      items: lookup.priced,
      withholdings: lookup.withholdings,
      ...(lookup.erpFailure ? { erpFailure: lookup.erpFailure } : {}),
    };
  }
  const today = calendarDateIn(merchant.timezone, now);
  const charge = await deps.store.getCharge(merchant.id, payer.charge.externalReference);
  if (!charge || !isVisible(charge, today)) return { ok: false, status: 404, code: 'not_found' };
  const items = await priceItems(deps, merchant, [chargeToItem(charge)], today, now);
  return { ok: true, items, withholdings: new Map() };
}

/** The signed form; the route adds the payer's view token (bff/links/payment-view-token.ts). */
export type CheckoutForm = Omit<CheckoutResponse, 'viewToken'>;

export type CheckoutOutcome =
  | { readonly ok: true; readonly status: 201; readonly body: CheckoutForm; readonly replay: boolean }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 409 | 422 | 502 | 504;
      readonly code: ErrorCode;
      readonly message?: string;
      readonly fields?: readonly FieldError[];
      readonly lower?: string | null;
      readonly upper?: string | null;
      readonly details?: ErrorDetails;
    };

/** Who pays: a payer by id number (lookup, statement link), or the one charge of a charge link. */
export type CheckoutPayer =
  | { readonly kind: 'id'; readonly idNumber: string; readonly nit?: boolean }
  | { readonly kind: 'charge'; readonly charge: ChargeRecord };

/** Same key + same request → same checkout; the hash covers everything that shapes the PayU form. */
export function requestHash(idNumber: string, body: CheckoutRequest): string {
  const canonical = JSON.stringify({
    idNumber,
    items: (body.items ?? []).map((i) => [i.ref, i.amount, i.withholdings ?? [], i.source ?? null]),
    spread: body.spread ? [body.spread.refs, body.spread.amount] : null,
    buyer: [body.buyer.email, body.buyer.fullName, body.buyer.phone],
    comment: body.comment ?? null,
    deliveryAddress: body.deliveryAddress ?? null,
    lng: body.lng ?? null,
    // Only when present, so the hashes of requests without it stay what they were.
    ...(body.returnTo === undefined ? {} : { returnTo: body.returnTo }),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The merchant page a checkout started in the iframe returns to after PayU: an absolute http(s) URL on
 * one of the merchant's `embed.allowedOrigins`, without query or fragment (nothing personal travels
 * through PayU). Its canonical text, or false when it is not one.
 */
export function embeddingPage(merchant: MerchantConfig, text: string): string | false {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return false;
  const allowed = merchant.embed.allowedOrigins.some((o) => new URL(o).origin === url.origin);
  return allowed && url.href.length <= 255 ? url.href : false;
}

interface Chosen {
  readonly priced: PricedItem;
  /** The cash part charged through PayU. */
  readonly amount: bigint;
  /** Ticked withholdings (empty: none). */
  readonly lines: readonly WithholdingLine[];
}

function toResponse(checkout: CheckoutRecord, spread: boolean): CheckoutForm {
  return {
    reference: checkout.reference,
    action: checkout.action,
    method: 'POST',
    fields: { ...checkout.fields },
    ...(spread
      ? {
          allocation: checkout.items.map((i) => ({
            ref: i.ref,
            amount: formatMinor(i.amount, checkout.currency),
          })),
        }
      : {}),
  };
}

/** The answer to a request whose Idempotency-Key already has a checkout: the same one, if it is the same request. */
function replay(previous: CheckoutRecord, hash: string, spread: boolean): CheckoutOutcome {
  if (previous.requestHash !== hash) return { ok: false, status: 422, code: 'idempotency_key_reused' };
  return { ok: true, status: 201, body: toResponse(previous, spread), replay: true };
}

/**
 * Creates a PayU checkout: re-prices every chosen item from a fresh ERP answer, checks each amount against
 * [minimum, balance], keeps one currency, and lets the database decide idempotency and holds so two
 * instances (or two clicks) can never start two payments of the same item.
 */
export async function createCheckout(
  deps: AppDeps,
  merchant: MerchantConfig,
  payer: CheckoutPayer,
  body: CheckoutRequest,
  idempotencyKey: string,
): Promise<CheckoutOutcome> {
  const now = deps.clock.now();
  const hash = requestHash(payer.kind === 'id' ? payer.idNumber : `charge:${payer.charge.linkId}`, body);
  const spreading = body.spread !== undefined;

  const previous = await deps.store.findByIdempotencyKey(merchant.id, idempotencyKey);
  if (previous) return replay(previous, hash, spreading);

  const returnTo = body.returnTo === undefined ? null : embeddingPage(merchant, body.returnTo);
  if (returnTo === false) {
    return {
      ok: false,
      status: 400,
      code: 'invalid_request',
      message: 'returnTo must be a page (no query) on an origin allowed to embed the portal.',
    };
  }

  const refs = body.items ? body.items.map((i) => i.ref) : (body.spread?.refs ?? []);
  if (body.spread && new Set(refs).size !== refs.length) {
    return { ok: false, status: 400, code: 'invalid_request', message: 'Each item may appear once.' };
  }

  const lookup = await pricedFor(deps, merchant, payer, now);
  if (!lookup.ok) return { ok: false, status: lookup.status, code: lookup.code };
  const bySourceRef = new Map(lookup.items.map((p) => [`${p.item.source ?? 'erp'}\u0000${p.item.ref}`, p]));

  const chosen: Chosen[] = [];
  const seen = new Set<string>();
  let currency: Currency | null = null;
  // The ERP is down and only charges were priced: an item that is not among them may be an ERP item.
  const erpDown = lookup.erpFailure
    ? ({ ok: false, status: lookup.erpFailure.status, code: lookup.erpFailure.code } as const)
    : null;
  if (body.spread) {
    if (erpDown && body.spread.refs.some((ref) => !lookup.items.some((p) => p.item.ref === ref)))
      return erpDown;
    const spread = spreadOverLookup([...lookup.items], body.spread.refs, body.spread.amount, 'spread.amount');
    if (!spread.ok) {
      if (spread.code === 'payment_pending') {
        const holder = await deps.store.findByIdempotencyKey(merchant.id, idempotencyKey);
        if (holder) return replay(holder, hash, spreading);
      }
      return spread;
    }
    currency = spread.currency;
    for (const share of spread.shares) chosen.push({ priced: share.priced, amount: share.amount, lines: [] });
  }
  for (const [index, requested] of (body.items ?? []).entries()) {
    let priced: PricedItem | undefined;
    if (requested.source) {
      priced = bySourceRef.get(`${requested.source}\u0000${requested.ref}`);
    } else {
      const erp = bySourceRef.get(`erp\u0000${requested.ref}`);
      const charge = bySourceRef.get(`charge\u0000${requested.ref}`);
      // docs/spec/merchant-charges.md: nothing is de-duplicated across sources; the payer's page names it.
      if (erp && charge) return { ok: false, status: 422, code: 'ambiguous_item' };
      priced = erp ?? charge;
    }
    if (!priced && erpDown && requested.source !== 'charge') return erpDown;
    if (!priced) return { ok: false, status: 422, code: 'unknown_item' };
    const key = itemKey(priced.item);
    if (seen.has(key)) {
      return { ok: false, status: 400, code: 'invalid_request', message: 'Each item may appear once.' };
    }
    seen.add(key);
    if (currency !== null && priced.item.currency !== currency) {
      return { ok: false, status: 422, code: 'mixed_currencies' };
    }
    currency = priced.item.currency;
    if (priced.blockedReason === 'payment_pending') {
      // The hold may be this key's own checkout, committed by a concurrent request with the same key after
      // the look-up above: that is a replay, not another payment in process.
      const holder = await deps.store.findByIdempotencyKey(merchant.id, idempotencyKey);
      if (holder) return replay(holder, hash, spreading);
      return { ok: false, status: 409, code: 'payment_pending' };
    }
    const amount = parseAmountText(requested.amount, priced.item.currency);
    if (amount === null) {
      const path = `items.${index}.amount`;
      const message = `must be a plain decimal with at most ${PRECISION[priced.item.currency]} decimals (${priced.item.currency})`;
      return {
        ok: false,
        status: 422,
        code: 'invalid_request',
        message: `Invalid field(s): ${path}`,
        fields: [{ path, message }],
      };
    }
    const ticked = requested.withholdings ?? [];
    if (ticked.length > 0) {
      // Withholdings settle the whole balance: the cash part must be exactly B − W (docs/spec/business-payments.md §2).
      const offered = lookup.withholdings.get(priced.item.ref);
      if (!offered) {
        return {
          ok: false,
          status: 422,
          code: 'unknown_withholding',
          message: `Item ${requested.ref}: no withholdings may be declared on it.`,
        };
      }
      const settled = settleWithWithholdings(
        priced.balance,
        ticked,
        offered,
        cashMinimum(merchant, priced.item.currency),
      );
      if (!settled.ok) return { ok: false, status: 422, code: settled.reason };
      if (amount !== settled.cash) {
        return {
          ok: false,
          status: 422,
          code: 'amount_out_of_range',
          message: `Item ${requested.ref}: with these withholdings the amount must be ${formatMinor(settled.cash, priced.item.currency)}.`,
        };
      }
      chosen.push({ priced, amount, lines: settled.lines });
      continue;
    }
    const range = payableRange(priced);
    const check = checkPayAmount(priced, amount);
    if (!check.ok && check.code === 'remainder_below_minimum') {
      const c = priced.item.currency;
      const maxAmount = check.maxPartial === null ? null : formatMinor(check.maxPartial, c);
      return {
        ok: false,
        status: 422,
        code: 'remainder_below_minimum',
        message: `Item ${requested.ref}: pay the whole balance ${formatMinor(priced.balance, c)}${maxAmount === null ? '' : ` or at most ${maxAmount}`}, so the rest is not under the minimum.`,
        details: { ref: requested.ref, maxAmount },
      };
    }
    if (priced.blockedReason === 'paid') {
      // Paid since the payer's list was drawn (another tab, another device): say so, not "out of range".
      return { ok: false, status: 409, code: 'item_paid', details: { ref: requested.ref } };
    }
    if (!range || !check.ok) {
      return {
        ok: false,
        status: 422,
        code: 'amount_out_of_range',
        message: range
          ? `Item ${requested.ref}: the amount must be between ${formatMinor(range.min, priced.item.currency)} and ${formatMinor(range.max, priced.item.currency)}.`
          : `Item ${requested.ref} cannot be paid now (${priced.blockedReason ?? 'blocked'}).`,
      };
    }
    chosen.push({ priced, amount, lines: [] });
  }
  if (currency === null) return { ok: false, status: 400, code: 'invalid_request' };

  const needsAddress = chosen.some((c) => c.priced.item.requestAddressDelivery);
  if (needsAddress && !body.deliveryAddress) {
    return { ok: false, status: 422, code: 'invalid_request', message: 'A delivery address is required.' };
  }
  const allowsComment = chosen.some((c) => c.priced.item.comments.enabled);
  const comment = allowsComment && body.comment ? body.comment : null;

  const total = chosen.reduce((sum, c) => sum + c.amount, 0n);
  const reference = newPaymentReference();
  const description = `${merchant.name}: ${chosen.map((c) => c.priced.item.description).join(' / ')}`;
  const form = buildPayuForm({
    payu: merchant.payu,
    simulatorUrl: `${deps.config.publicUrl}/payu-sim/checkout`,
    reference,
    description,
    amount: total,
    currency,
    buyer: body.buyer,
    lng: body.lng ?? (merchant.locale.startsWith('en') ? 'en' : 'es'),
    responseUrl: `${deps.config.publicUrl}/payu/${merchant.id}/response`,
    confirmationUrl: `${deps.config.publicUrl}/payu/${merchant.id}/confirmation`,
    ...(needsAddress && body.deliveryAddress ? { shipping: body.deliveryAddress } : {}),
    extra1: merchant.id,
    // PayU echoes extra2 on the response page: the embedding page the payer goes back to.
    ...(returnTo ? { extra2: returnTo } : {}),
  });

  const items: CheckoutItemRecord[] = chosen.map((c) => {
    const withheld = c.lines.reduce((sum, l) => sum + l.amount, 0n);
    return {
      ref: itemKey(c.priced.item),
      description: c.priced.item.description,
      amount: c.amount,
      metadata: c.priced.item.metadata,
      webhookUrl: c.priced.item.webhookUrl,
      // What the item owed in all when this checkout was made: an approval beyond it is an over-payment.
      dueTotal: c.priced.total,
      ...(withheld > 0n ? { withheld, withholdings: c.lines } : {}),
    };
  });
  const result = await deps.store.createCheckout({
    reference,
    merchantId: merchant.id,
    idempotencyKey,
    requestHash: hash,
    currency,
    amount: total,
    items,
    action: form.action,
    fields: form.fields,
    comment,
    deliveryAddress: needsAddress ? (body.deliveryAddress ?? null) : null,
    now,
    holdUntil: new Date(now.getTime() + deps.config.holdMinutes * 60_000),
    // 256 random bits: the receipt's address must not be guessable, nor derivable from the reference.
    receiptToken: randomBytes(32).toString('base64url'),
    // A charge link names no payer: the charge's own payer when it has one, else the link.
    payerHash: payerFingerprint(
      deps.config.linkSecret,
      merchant.id,
      payer.kind === 'id' ? payer.idNumber : (payer.charge.payerIdNumber ?? `charge:${payer.charge.linkId}`),
    ),
  });
  if (result.kind === 'pending') return { ok: false, status: 409, code: 'payment_pending' };
  if (result.kind === 'idempotent') return replay(result.checkout, hash, spreading);
  return { ok: true, status: 201, body: toResponse(result.checkout, spreading), replay: false };
}

export type HeldCheckoutOutcome =
  | { readonly ok: true; readonly checkout: CheckoutRecord }
  | { readonly ok: false; readonly status: 404 | 502 | 504; readonly code: ErrorCode };

/**
 * The payer's own live checkout: one that holds an item of this payer's list right now. Knowing a reference
 * is not enough to resume or cancel a checkout (its form carries the buyer's contact data): the payer's
 * credential must list an item it holds.
 */
export async function findHeldCheckout(
  deps: AppDeps,
  merchant: MerchantConfig,
  idNumber: string,
  reference: string,
): Promise<HeldCheckoutOutcome> {
  const now = deps.clock.now();
  const lookup = await lookupPayer(deps, merchant, idNumber, now, { allowPartial: true });
  if (!lookup.ok) return { ok: false, status: lookup.status, code: lookup.code };
  const holds = lookup.response.items.some((item) => item.hold?.reference === reference);
  if (!holds) return { ok: false, status: 404, code: 'not_found' };
  const checkout = await deps.store.getCheckout(merchant.id, reference);
  if (!checkout || checkout.status !== 'pending' || checkout.holdUntil <= now) {
    return { ok: false, status: 404, code: 'not_found' };
  }
  return { ok: true, checkout };
}

/** The same checkout again: same reference, same signed form (resume after leaving PayU's page). */
export function resumeResponse(checkout: CheckoutRecord): CheckoutForm {
  return toResponse(checkout, false);
}
