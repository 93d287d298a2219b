import { applyRate, parseDecimal, type Currency } from '../money';

/**
 * Withholdings (retenciones) a company payer may declare on an item (docs/spec/business-payments.md §2).
 * Pure: bases and amounts are bigint minor units of the item's currency; rates are decimal texts.
 */

export type WithholdingBase = 'subtotal' | 'iva';

/** One kind the merchant allows (config `withholdings.kinds`). */
export interface WithholdingKind {
  readonly code: string;
  readonly label: string;
  readonly base: WithholdingBase;
  /** A decimal text in (0, 1), e.g. "0.04". */
  readonly rate: string;
  /** Below this base (per currency) the withholding is 0; a currency without an entry has no minimum. */
  readonly minimumBase: Partial<Record<Currency, bigint>>;
}

/** An item's tax bases: the `taxes` extension of the payload, or subtotal = A and iva = 0 without it. */
export interface TaxBases {
  readonly subtotal: bigint;
  readonly iva: bigint;
}

/** One withholding as computed for one item: what it is, on what base, at what rate, how much. */
export interface WithholdingLine {
  readonly code: string;
  readonly label: string;
  readonly base: bigint;
  readonly rate: string;
  readonly amount: bigint;
}

export function taxBases(amount: bigint, taxes: TaxBases | null): TaxBases {
  return taxes ?? { subtotal: amount, iva: 0n };
}

/** w = roundHalfUp(base × rate), or 0 when the base is below the kind's minimum base for the currency. */
export function withholdingLine(kind: WithholdingKind, bases: TaxBases, currency: Currency): WithholdingLine {
  const base = kind.base === 'iva' ? bases.iva : bases.subtotal;
  const rate = parseDecimal(kind.rate);
  if (rate === null || rate.int < 0n) throw new RangeError(`withholding ${kind.code}: invalid rate`);
  const minimum = kind.minimumBase[currency] ?? 0n;
  const amount = base < minimum || base <= 0n ? 0n : applyRate(base, rate, 1n, 'halfUp');
  return { code: kind.code, label: kind.label, base, rate: kind.rate, amount };
}

/** Every kind's line for one item: what each would be if ticked. */
export function withholdingLines(
  kinds: readonly WithholdingKind[],
  bases: TaxBases,
  currency: Currency,
): WithholdingLine[] {
  return kinds.map((kind) => withholdingLine(kind, bases, currency));
}

export type Settlement =
  | {
      readonly ok: true;
      /** W: the sum of the ticked withholdings. */
      readonly withheld: bigint;
      /** X = B − W: what the payer pays in cash. */
      readonly cash: bigint;
      readonly lines: readonly WithholdingLine[];
    }
  | { readonly ok: false; readonly reason: 'unknown_withholding' | 'below_minimum' };

/**
 * Declaring withholdings means settling the whole balance B: the cash part is B − W and must still reach
 * the merchant's and the gateway's minimums (and be positive).
 */
export function settleWithWithholdings(
  balance: bigint,
  ticked: readonly string[],
  offered: readonly WithholdingLine[],
  cashMinimum: bigint,
): Settlement {
  const lines: WithholdingLine[] = [];
  for (const code of ticked) {
    const line = offered.find((l) => l.code === code);
    if (!line) return { ok: false, reason: 'unknown_withholding' };
    if (!lines.some((l) => l.code === code)) lines.push(line);
  }
  const withheld = lines.reduce((sum, l) => sum + l.amount, 0n);
  const cash = balance - withheld;
  if (cash <= 0n || cash < cashMinimum) return { ok: false, reason: 'below_minimum' };
  return { ok: true, withheld, cash, lines };
}
