import type { PaymentStatus } from '../../../shared/api/schemas';
import { responsePageStatus } from '../../../shared/payu-states';

/**
 * PayU's `transactionState` from the response page (docs/spec/payu-webcheckout.md "States"), as PayU's number or
 * as our status name. It arrives in the URL,
 * so anyone can change it: it is shown only as "PayU said …" while the portal's own state is pending.
 */
export function payuHint(transactionState: string | null): PaymentStatus | null {
  switch (transactionState) {
    // The BFF's response page may pass the state already named.
    case 'approved':
    case 'declined':
    case 'expired':
    case 'error':
    case 'pending':
      return transactionState;
    default:
      return transactionState === null ? null : responsePageStatus(transactionState);
  }
}
