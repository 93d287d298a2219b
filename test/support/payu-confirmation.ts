import { randomUUID } from 'node:crypto';
import { signConfirmation } from '../../bff/payu/signature';
import { TEST_PAYU } from './fake-deps';

/** A confirmation as PayU POSTs it, signed with the test account's key unless overridden. */
export function confirmationForm(
  fields: { reference: string; value: string; currency: string; statePol: string; transactionId?: string },
  overrides: Record<string, string> = {},
): URLSearchParams {
  const sign = signConfirmation({
    apiKey: TEST_PAYU.apiKey,
    merchantId: TEST_PAYU.merchantId,
    referenceSale: fields.reference,
    value: fields.value,
    currency: fields.currency,
    statePol: fields.statePol,
    algorithm: 'SHA256',
  });
  return new URLSearchParams({
    merchant_id: TEST_PAYU.merchantId,
    reference_sale: fields.reference,
    value: fields.value,
    currency: fields.currency,
    state_pol: fields.statePol,
    sign,
    transaction_id: fields.transactionId ?? randomUUID(),
    reference_pol: '845612378',
    response_message_pol: fields.statePol === '4' ? 'APPROVED' : 'ENTITY_DECLINED',
    payment_method_type: '2',
    test: '1',
    ...overrides,
  });
}
