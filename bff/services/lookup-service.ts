import type { LookupItem, LookupResponse } from '../../shared/api/schemas';
import { calendarDateIn, type IsoDate } from '../../shared/dates';
import type { ErpItem } from '../../shared/erp/erp-item';
import { readErpPayload } from '../../shared/erp/read-payload';
import { maskName } from '../../shared/mask';
import { formatMinor } from '../../shared/money';
import type { WithholdingLine } from '../../shared/business/withholding';
import { formatWithholding, withholdingOffers } from './withholding-offers';
import { priceItem, type PayableItem, type PricedItem } from '../../shared/pricing/price-item';
import { chargeAttachment, chargeToItem, isVisible, itemKey } from '../charges/charge-item';
import type { MerchantConfig } from '../config/config-schema';
import type { Logger } from '../observability/logger';
import type { ItemPaymentState, Store } from '../store/store';
import type { ErpPort } from './ports';

export interface LookupDeps {
  readonly erp: ErpPort;
  /** Item states and the payer's charges: the bench's essential-work server runs this without a database. */
  readonly store: Pick<Store, 'itemStates' | 'payerItemStates'>;
  readonly logger: Logger;
}

export type LookupOutcome =
  | {
      readonly ok: true;
      readonly today: string;
      readonly priced: PricedItem[];
      /** Per ref: the withholdings the payer may declare on the item (docs/spec/business-payments.md §2). */
      readonly withholdings: ReadonlyMap<string, readonly WithholdingLine[]>;
      readonly response: LookupResponse;
      /** Set when the ERP failed and only the payer's charges are listed (`allowPartial`). */
      readonly erpFailure?: ErpFailure;
    }
  | ErpFailure;

export interface ErpFailure {
  readonly ok: false;
  readonly status: 502 | 504;
  readonly code: 'erp_unavailable' | 'erp_bad_response' | 'erp_timeout';
}

/**
 * Asks the merchant's ERP for one payer's pending items and prices each for today: ERP JSON → reader
 * (shared) → the portal's own recorded payments and holds (store) → pricing (shared). Used by lookup and,
 * to re-price, by checkout.
 *
 * `allowPartial`: when the ERP fails but the payer has charges the portal can show (docs/spec/merchant-charges.md
 * "When the ERP is down"), answer with those and say so (`erpError`) instead of failing the whole lookup.
 */
export async function lookupPayer(
  deps: LookupDeps,
  merchant: MerchantConfig,
  idNumber: string,
  now: Date,
  payer: { readonly nit?: boolean; readonly allowPartial?: boolean } = {},
): Promise<LookupOutcome> {
  const today = calendarDateIn(merchant.timezone, now);
  const fetched = merchant.erp
    ? await deps.erp.fetchPendingPayments({ id: merchant.id, erp: merchant.erp }, idNumber)
    : null;
  let erpItems: readonly ErpItem[] = [];
  let skipped = 0;
  let duplicates = 0;
  let erpFailure: ErpFailure | undefined;
  if (fetched !== null && !fetched.ok) {
    deps.logger.warn(
      { merchant: merchant.id, code: fetched.error, detail: fetched.detail },
      'erp call failed',
    );
    erpFailure = { ok: false, status: fetched.error === 'erp_timeout' ? 504 : 502, code: fetched.error };
  } else if (fetched !== null) {
    // Concurrent lookups of one id share one answer (single flight) and so its read: a pure function of
    // (body, id), kept on the answer itself for as long as its callers hold it.
    const shared = fetched.shared;
    const read = shared
      ? (shared.read ??= readErpPayload(fetched.body, idNumber))
      : readErpPayload(fetched.body, idNumber);
    if (!read.ok) {
      deps.logger.warn({ merchant: merchant.id, code: read.error }, 'erp answer has the wrong shape');
      erpFailure = { ok: false, status: 502, code: 'erp_bad_response' };
    } else {
      const { skipReasons, warnings } = read.value;
      ({ items: erpItems, skipped, duplicates } = read.value);
      if (skipped > 0 || Object.keys(warnings).length > 0) {
        deps.logger.info(
          { merchant: merchant.id, skipped, skipReasons, warnings },
          'erp items skipped or trimmed',
        );
      }
    }
  }
  if (erpFailure && payer.allowPartial !== true) return erpFailure;

  // The payer's pushed charges and the portal's own payments and holds of every item, in one read after the
  // ERP answered (one round trip on PostgreSQL: item states must wait for the ERP's refs anyway).
  const { charges, states } = await deps.store.payerItemStates(
    merchant.id,
    idNumber,
    erpItems.map(itemKey),
    now,
  );
  const items: PayableItem[] = [...erpItems];
  for (const charge of charges) if (isVisible(charge, today)) items.push(chargeToItem(charge));
  // docs/spec/merchant-charges.md "When the ERP is down": the charges the portal can show, if any, and why
  // the rest is missing; else the ERP's failure.
  if (erpFailure && items.length === 0) return erpFailure;
  const holds = new Map<string, { reference: string; until: Date }>();
  const priced = priceWithStates(merchant, items, states, today, holds);
  const withholdings = withholdingOffers(merchant, priced, payer.nit === true);

  const payerName =
    erpItems.find((i) => i.payerName)?.payerName ?? items.find((i) => i.payerName)?.payerName ?? null;
  const response: LookupResponse = {
    merchant: { id: merchant.id, name: merchant.name },
    asOf: today,
    payer: { maskedName: maskName(payerName) },
    items: priced.map((p) =>
      toLookupItem(
        p,
        withholdings.get(p.item.ref) ?? [],
        p.payable ? null : (holds.get(itemKey(p.item)) ?? null),
      ),
    ),
    skipped,
    duplicates,
    ...(erpFailure ? { erpError: erpFailure.code } : {}),
  };
  return { ok: true, today, priced, withholdings, response, ...(erpFailure ? { erpFailure } : {}) };
}

/** Prices items for today with the portal's own payments and holds (store) on top, sorted for display. */
export async function priceItems(
  deps: Pick<LookupDeps, 'store'>,
  merchant: MerchantConfig,
  items: readonly PayableItem[],
  today: IsoDate,
  now: Date,
  /** Filled with the live hold of each held item, by item key (itemKey). */
  holds?: Map<string, { reference: string; until: Date }>,
): Promise<PricedItem[]> {
  const states = await deps.store.itemStates(merchant.id, items.map(itemKey), now);
  return priceWithStates(merchant, items, states, today, holds);
}

/** Prices items for today with their recorded payments and holds (`Store.itemStates`), sorted for display. */
function priceWithStates(
  merchant: MerchantConfig,
  items: readonly PayableItem[],
  states: ReadonlyMap<string, ItemPaymentState>,
  today: IsoDate,
  /** Filled with the live hold of each held item, by item key (itemKey). */
  holds?: Map<string, { reference: string; until: Date }>,
): PricedItem[] {
  const priced = items.map((item) => {
    const key = itemKey(item);
    const state = states.get(key);
    if (state?.hold && holds) holds.set(key, state.hold);
    return priceItem(item, {
      today,
      merchantMinimum: merchant.minimumPayment[item.currency] ?? 0n,
      gatewayMinimum: merchant.payu.minimumPayment[item.currency] ?? 0n,
      merchantLateFees: merchant.lateFees ?? null,
      paid: state?.paid ?? 0n,
      withheld: state?.withheld ?? 0n,
      pending: state?.pending ?? false,
    });
  });
  priced.sort(compareItems);
  return priced;
}

/** docs/spec/http-api.md: by limitDate, earliest first and none last, then by ref. */
function compareItems(a: PricedItem, b: PricedItem): number {
  const da = a.item.limitDate;
  const db = b.item.limitDate;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da < db ? -1 : 1;
  }
  if (a.item.ref !== b.item.ref) return a.item.ref < b.item.ref ? -1 : 1;
  return (a.item.source ?? 'erp') < (b.item.source ?? 'erp') ? 1 : -1;
}

export function toLookupItem(
  p: PricedItem,
  withholdings: readonly WithholdingLine[] = [],
  hold: { reference: string; until: Date } | null = null,
): LookupItem {
  const c = p.item.currency;
  return {
    ref: p.item.ref,
    source: p.item.source ?? 'erp',
    description: p.item.description,
    currency: c,
    amount: formatMinor(p.item.amount, c),
    discount: formatMinor(p.discount, c),
    lateFee: formatMinor(p.lateFee, c),
    delivery: formatMinor(p.delivery, c),
    paid: formatMinor(p.paid, c),
    total: formatMinor(p.total, c),
    balance: formatMinor(p.balance, c),
    minimum: formatMinor(p.minimum, c),
    maxPartial: p.maxPartial === null ? null : formatMinor(p.maxPartial, c),
    payable: p.payable,
    blockedReason: p.blockedReason,
    hold:
      hold && p.blockedReason === 'payment_pending'
        ? { reference: hold.reference, until: hold.until.toISOString() }
        : null,
    limitDate: p.item.limitDate,
    discountUntil: p.discountUntil,
    daysOverdue: p.daysOverdue,
    references: [...p.item.references],
    picture: p.item.picture,
    comments: p.item.comments,
    deliveryAddressRequired: p.item.requestAddressDelivery,
    withheld: formatMinor(p.withheld, c),
    withholdings: withholdings.map((w) => formatWithholding(w, c)),
    ...(p.item.source === 'charge' ? { attachment: chargeAttachment(p.item) } : {}),
  };
}
