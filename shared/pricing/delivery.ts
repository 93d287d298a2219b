/**
 * Delivery V (docs/spec/pricing.md, seed 003 `delivery_service`): "Gratis" is 0, "Con Valor" its value, absent 0.
 * The ERP reader has already turned the ERP's object into minor units (erp/read-payload.ts); this is where
 * the rule is named so price-item composes one function per rule.
 */
export function delivery(deliveryCost: bigint): bigint {
  return deliveryCost > 0n ? deliveryCost : 0n;
}
