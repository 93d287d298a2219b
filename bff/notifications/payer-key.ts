import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Names a payer for the collection law's per-payer limits without storing the id number: an HMAC of
 * (merchant, id number) — or of the address, when only that is known (a receipt) — under a key derived from
 * linkSecret. The same payer always gets the same key, across instances and restarts.
 */
export function createPayerKeys(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'saldo-payer-key', 'notifications v1', 32));
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    byIdNumber: (merchantId: string, idNumber: string) => `id:${mac(`${merchantId}\0id\0${idNumber}`)}`,
    byAddress: (merchantId: string, address: string) =>
      `to:${mac(`${merchantId}\0to\0${address.trim().toLowerCase()}`)}`,
  };
}

export type PayerKeys = ReturnType<typeof createPayerKeys>;
