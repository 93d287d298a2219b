import type { PaymentStatus } from './api/schemas';

/**
 * PayU's response-page `transactionState` (not `polTransactionState`) → the portal's status, per PayU's
 * state table (docs/spec/payu-webcheckout.md "States"): 4 approved, 6 declined, 104 error, 5 expired, 7 pending.
 * Shared because the BFF verifies the response page and the SPA shows the same state as a hint.
 */
export function responsePageStatus(transactionState: string): PaymentStatus | null {
  switch (transactionState) {
    case '4':
      return 'approved';
    case '6':
      return 'declined';
    case '104':
      return 'error';
    case '5':
      return 'expired';
    case '7':
      return 'pending';
    default:
      return null;
  }
}
