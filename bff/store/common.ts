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
export function emptyItemStates(refs: readonly string[]): Map<string, { paid: bigint; pending: boolean }> {
  return new Map(refs.map((ref) => [ref, { paid: 0n, pending: false }]));
}
