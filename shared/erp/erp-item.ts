import type { IsoDate } from '../dates';
import type { Currency, Decimal } from '../money';
import type { TaxBases } from '../business/withholding';
import type { LateFeePolicy } from '../pricing/late-fee-policy';

/** One pending charge from the Recauda ERP, validated and normalised (docs/spec/erp-recauda.md "Reading the body"). */
export interface ErpItem {
  readonly ref: string;
  readonly description: string;
  readonly currency: Currency;
  /** A, in minor units. */
  readonly amount: bigint;
  readonly payerName: string | null;
  readonly advance: Advance | null;
  /** Passed through to merchant webhooks, never shown. */
  readonly metadata: unknown;
  readonly limitDate: IsoDate | null;
  readonly discount: DiscountRule | null;
  /** V, in minor units (0 when free or absent). */
  readonly delivery: bigint;
  readonly requestAddressDelivery: boolean;
  readonly references: readonly string[];
  readonly picture: string | null;
  readonly webhookUrl: string | null;
  readonly comments: { readonly enabled: boolean; readonly label: string | null };
  readonly lateFees: LateFeePolicy | null;
  /** Portal extension (seed 002 `expiration`): the charge is cancelled once `limit_date` has passed. */
  readonly expiration: boolean;
  /**
   * Portal extension `advanced_options.taxes`: the invoice's subtotal and IVA, the bases of withholdings
   * (docs/spec/business-payments.md §2). Absent or null: subtotal = amount, iva = 0.
   */
  readonly taxes?: TaxBases | null;
  /** The item names its payer as a company (a merchant charge with `user_id_type: "NIT"`). */
  readonly nitPayer?: boolean;
}

export type Advance =
  | { readonly type: 'minimum_amount'; readonly value: bigint }
  | { readonly type: 'minimum_percent'; readonly percent: Decimal };

export type DiscountRule =
  | { readonly type: 'percent'; readonly beforeOn: IsoDate; readonly percent: Decimal }
  | { readonly type: 'amount'; readonly beforeOn: IsoDate; readonly value: bigint };
