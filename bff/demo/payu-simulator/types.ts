/** The simulator's public types: what server.ts, tests and the modules of this folder share. */

export const PAYU_SIM_OUTCOMES = [
  'approved',
  'declined',
  'pending-then-approved',
  'expired',
  'error',
] as const;
export type PayuSimOutcome = (typeof PAYU_SIM_OUTCOMES)[number];

export interface PayuSimMerchant {
  readonly apiKey: string;
  readonly accountId: string;
  /** Needed only for the Queries API. */
  readonly apiLogin?: string;
}

export interface PayuSimulatorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PayuSimulatorDeps {
  readonly merchants: (merchantId: string) => PayuSimMerchant | undefined;
  /** Queries API requests carry apiLogin, not merchantId. Default: the merchants this simulator has seen. */
  readonly merchantIdByApiLogin?: (apiLogin: string) => string | undefined;
  /** e.g. `/payu-sim`; the checkout is `{basePath}/checkout`. */
  readonly basePath: string;
  readonly fetch?: typeof fetch;
  /**
   * Waits between confirmation attempts; attempts = delays + 1. The default gives PayU's 9 attempts over
   * about 4 minutes (PayU itself spreads them wider).
   */
  readonly retryDelaysMs?: readonly number[];
  /** pending-then-approved: how long the payment stays pending before the approval is confirmed. */
  readonly pendingDelayMs?: number;
  /** Per confirmation attempt. */
  readonly confirmationTimeoutMs?: number;
  readonly now?: () => Date;
  readonly logger?: PayuSimulatorLogger;
  /**
   * Which responseUrl/confirmationUrl the simulator will redirect to and POST to. Those URLs are not
   * covered by PayU's signature, so anyone holding a signed form can point them elsewhere; restrict them
   * (e.g. to the portal's own origin) wherever the simulator is reachable by others. Default: http(s).
   */
  readonly isAllowedCallbackUrl?: (url: URL) => boolean;
  /** Bound of the in-memory checkouts and orders (default 1000 and 10000). */
  readonly maxCheckouts?: number;
  readonly maxOrders?: number;
}

export interface ConfirmationDelivery {
  readonly delivered: boolean;
  /** HTTP status of the last attempt, null when it failed before a response. */
  readonly status: number | null;
  readonly attempts: number;
}

export interface PayuSimPayment {
  /** Where the simulator sends the payer: responseUrl with PayU's response-page query. */
  readonly redirectUrl: string;
  readonly transactionId: string;
  readonly orderId: string;
  /** Settles (never rejects) once the confirmation is delivered, given up on, or the simulator closed. */
  readonly confirmation: Promise<ConfirmationDelivery>;
}

export class PayuSimCheckoutError extends Error {
  constructor(
    readonly kind: 'invalid_signature' | 'unknown_merchant' | 'invalid_form' | 'already_paid',
    readonly issues: readonly string[],
  ) {
    super(`payu simulator: ${kind}: ${issues.join('; ')}`);
    this.name = 'PayuSimCheckoutError';
  }
}
