import type { WithholdingLine } from '../../shared/business/withholding';
import type { CheckoutItemRecord } from './store';

/**
 * The refs a checkout holds: unique, and sorted so that concurrent checkouts always take hold rows in the
 * same order (two checkouts over [a, b] and [b, a] must not deadlock on PostgreSQL).
 */
export function heldRefs(items: readonly CheckoutItemRecord[]): string[] {
  return [...new Set(items.map((i) => i.ref))].sort();
}

/** JSON text for a nullable json column: `undefined` (an absent value) is stored as SQL NULL. */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Error texts come from remote servers: keep the stored copy bounded. */
export function boundedError(error: string): string {
  return error.length > 2000 ? `${error.slice(0, 2000)}…` : error;
}

/** Every asked ref gets an entry, so callers never have to default a missing one. */
export function emptyItemStates(
  refs: readonly string[],
): Map<
  string,
  { paid: bigint; pending: boolean; withheld?: bigint; hold?: { reference: string; until: Date } }
> {
  return new Map(refs.map((ref) => [ref, { paid: 0n, pending: false }]));
}

/** Withholding lines as stored (JSON text, amounts as decimal strings so no bigint passes through a number). */
export function withholdingsToJson(lines: readonly WithholdingLine[] | undefined): string | null {
  if (!lines || lines.length === 0) return null;
  return JSON.stringify(
    lines.map((l) => ({
      code: l.code,
      label: l.label,
      base: l.base.toString(),
      rate: l.rate,
      amount: l.amount.toString(),
    })),
  );
}

export function withholdingsFromJson(value: unknown): WithholdingLine[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return list.map((l: { code: string; label: string; base: string; rate: string; amount: string }) => ({
    code: l.code,
    label: l.label,
    base: BigInt(l.base),
    rate: l.rate,
    amount: BigInt(l.amount),
  }));
}

/** The optional withholding fields of an item record: present only when something was withheld. */
export function withheldFields(
  withheld: bigint,
  withholdings: unknown,
): { withheld?: bigint; withholdings?: WithholdingLine[] } {
  if (withheld === 0n) return {};
  return { withheld, withholdings: withholdingsFromJson(withholdings) };
}
