import { randomUUID } from 'node:crypto';
import { formatMinor, type Currency } from '../../shared/money';
import type { MerchantConfig } from '../config/config-schema';
import type { LinkSealer } from '../links/link-token';
import { buildStatementLink } from '../links/statement-link';
import { lookupPayer, type LookupDeps } from '../services/lookup-service';
import type { EnqueueResult, NotificationChannel } from '../store/notification-records';
import type { Store } from '../store/store';
import { brandOf } from './brand';
import type { StatementItemView, StatementMessage } from './messages/models';
import type { PayerKeys } from './payer-key';

export interface StatementRequest {
  readonly idNumber: string;
  readonly channel: NotificationChannel;
  /** The email address or E.164 digits, already validated for the channel. */
  readonly recipient: string;
  /** The merchant's Idempotency-Key, when given: the same key never sends a second statement. */
  readonly idempotencyKey?: string;
}

export interface StatementDeps extends LookupDeps {
  readonly store: LookupDeps['store'] & Pick<Store, 'enqueueNotifications'>;
  readonly publicUrl: string;
  readonly links: LinkSealer;
  readonly payerKeys: PayerKeys;
}

export type StatementOutcome =
  | {
      readonly ok: true;
      readonly notification: EnqueueResult;
      readonly items: number;
      readonly payable: number;
    }
  | {
      readonly ok: false;
      readonly status: 502 | 504 | 422;
      readonly code: 'erp_unavailable' | 'erp_bad_response' | 'erp_timeout' | 'no_pending_items';
    };

/**
 * Builds seed 000's statement for one payer and queues it (docs/spec/notifications.md "statement"): the ERP's
 * pending items priced for today, each payable one with a sealed statement link to that item, each
 * unpayable one with a grey button and its reason and no link. Paid items are not pending and are left out.
 * The row is committed before the answer; the job sends it within the allowed hours.
 */
export async function queueStatement(
  deps: StatementDeps,
  merchant: MerchantConfig,
  req: StatementRequest,
  now: Date,
): Promise<StatementOutcome> {
  const looked = await lookupPayer(deps, merchant, req.idNumber, now);
  if (!looked.ok) return looked;
  const pending = looked.priced.filter((p) => p.blockedReason !== 'paid');
  if (pending.length === 0) return { ok: false, status: 422, code: 'no_pending_items' };

  const link = (ref?: string) =>
    buildStatementLink({
      publicUrl: deps.publicUrl,
      sealer: deps.links,
      merchantId: merchant.id,
      idNumber: req.idNumber,
      ...(ref === undefined ? {} : { ref }),
      now,
    }).url;

  const totals = new Map<Currency, bigint>();
  const items: StatementItemView[] = pending.map((p) => {
    const c = p.item.currency;
    if (p.payable) totals.set(c, (totals.get(c) ?? 0n) + p.balance);
    return {
      ref: p.item.ref,
      description: p.item.description,
      references: [...p.item.references],
      limitDate: p.item.limitDate,
      currency: c,
      due: formatMinor(p.balance, c),
      minimum: formatMinor(p.minimum, c),
      blockedReason: p.blockedReason,
      payUrl: p.payable ? link(p.item.ref) : null,
    };
  });
  const message: StatementMessage = {
    kind: 'statement',
    brand: brandOf(merchant),
    locale: merchant.locale,
    maskedName: looked.response.payer.maskedName,
    asOf: looked.today,
    items,
    totals: [...totals].map(([currency, amount]) => ({ currency, amount: formatMinor(amount, currency) })),
    statementUrl: link(),
  };
  const [notification] = await deps.store.enqueueNotifications([
    {
      merchantId: merchant.id,
      dedupeKey: `statement:${req.idempotencyKey ?? randomUUID()}`,
      kind: 'statement',
      channel: req.channel,
      recipient: req.recipient,
      payerKey: deps.payerKeys.byIdNumber(merchant.id, req.idNumber),
      chargeId: null,
      content: JSON.stringify(message),
      notBefore: now,
      now,
    },
  ]);
  return {
    ok: true,
    notification: notification!,
    items: items.length,
    payable: items.filter((i) => i.payUrl).length,
  };
}
