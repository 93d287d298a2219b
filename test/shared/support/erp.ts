import type { ErpItem } from '../../../shared/erp/erp-item';
import { readErpPayload, type ErpReadResult } from '../../../shared/erp/read-payload';
import { priceItem, type PricedItem, type PricingContext } from '../../../shared/pricing/price-item';

/** The payer id of seed 003's example request (`?id_number=12345678`). */
export const PAYER_ID = '12345678';

type Json = Record<string, unknown>;

/** A seed-003-shaped `recauda_information`: a valid COP 20000 charge for PAYER_ID unless overridden. */
export function recauda(overrides: Json = {}): Json {
  return {
    description: 'Factura de prueba',
    amount: 20000,
    selected_taxes: null,
    currency_type: 'COP',
    id_number: PAYER_ID,
    payer_name: 'efipay',
    ref_payment: 'REF-1',
    ...overrides,
  };
}

/** One entry of `payments`, as the ERP sends it: `options` becomes `advanced_options`. */
export function payment(info: Json = {}, options: Json | null = null): Json {
  return { recauda_information: recauda(info), advanced_options: options };
}

/**
 * Reads `{ payments }` the way the BFF does, after a JSON round trip so the input is exactly what could come
 * over the wire (keys set to `undefined` disappear, as they would in a real ERP body).
 */
export function read(payments: unknown[], askedId: string = PAYER_ID): ErpReadResult {
  const body: unknown = JSON.parse(JSON.stringify({ payments }));
  const outcome = readErpPayload(body, askedId);
  if (!outcome.ok) throw new Error(`expected a readable ERP body, got ${outcome.error}`);
  return outcome.value;
}

/** The single item a one-payment payload yields; fails the test when the reader skipped it. */
export function erpItem(info: Json = {}, options: Json | null = null): ErpItem {
  const result = read([payment(info, options)]);
  const [item] = result.items;
  if (!item || result.items.length !== 1) {
    throw new Error(
      `expected exactly one item, got ${result.items.length} (${JSON.stringify(result.skipReasons)})`,
    );
  }
  return item;
}

/** T = 2025-03-10 (docs/spec/pricing.md worked examples), no minimums, no merchant late fees, nothing paid. */
export function context(overrides: Partial<PricingContext> = {}): PricingContext {
  return {
    today: '2025-03-10',
    merchantMinimum: 0n,
    gatewayMinimum: 0n,
    merchantLateFees: null,
    paid: 0n,
    pending: false,
    ...overrides,
  };
}

/** Reads one ERP payment and prices it. */
export function price(
  info: Json = {},
  options: Json | null = null,
  ctx: Partial<PricingContext> = {},
): PricedItem {
  return priceItem(erpItem(info, options), context(ctx));
}
