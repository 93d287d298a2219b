import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealing small secrets with AES-256-GCM under a key derived (HKDF-SHA256) from one configured secret and a
 * purpose, so keys for different uses never coincide and a box sealed for one purpose never opens as
 * another. The GCM tag makes any change fail to open. Output: base64url(iv ‖ ciphertext ‖ tag).
 */
export interface SealedBox {
  seal(plaintext: string): string;
  /** null when the box was tampered with, sealed under another key or purpose, or is not a box at all. */
  open(box: string): string | null;
}

/** `salt` names the purpose (HKDF salt): a distinct one per use, e.g. `saldo:payout-bank-details`. */
export function createSealedBox(secret: string, salt: string): SealedBox {
  const key = Buffer.from(hkdfSync('sha256', secret, salt, 'aes-256-gcm v1', 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(box) {
      if (typeof box !== 'string' || box.length < 40 || box.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(box))
        return null;
      const raw = Buffer.from(box, 'base64url');
      if (raw.length < 29) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(raw.length - 16));
        return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}

/** A keyed fingerprint of a payer's id number: lets the portal recognise the payer without storing the id. */
export function payerFingerprint(secret: string, merchantId: string, idNumber: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'saldo:payer-fingerprint', 'hmac-sha256 v1', 32));
  return createHmac('sha256', key).update(`${merchantId}\0${idNumber}`).digest('base64url');
}
