import { normalizeIdNumber } from '../../shared/id-number';
import type { LinkSealer } from '../links/link-token';

export type PayerResolution =
  | {
      readonly ok: true;
      readonly idNumber: string;
      readonly linkedRef: string | null;
      /** Typed with a verified NIT check digit: a company payer (docs/spec/business-payments.md §2). */
      readonly nit: boolean;
    }
  | {
      readonly ok: false;
      readonly status: 400 | 410;
      readonly code: 'invalid_id_number' | 'invalid_token' | 'expired_token';
    };

/** A payer is named by a typed id number or by a statement-link token; either way, before the ERP is asked. */
export function resolvePayer(
  body: { idNumber: string } | { token: string },
  merchantId: string,
  links: LinkSealer,
  now: Date,
): PayerResolution {
  if ('token' in body) {
    const opened = links.open(body.token, merchantId, now);
    if (!opened.ok)
      return { ok: false, status: opened.error === 'expired_token' ? 410 : 400, code: opened.error };
    return { ok: true, idNumber: opened.claims.idNumber, linkedRef: opened.claims.ref ?? null, nit: false };
  }
  const id = normalizeIdNumber(body.idNumber);
  if (!id.ok) return { ok: false, status: 400, code: 'invalid_id_number' };
  return { ok: true, idNumber: id.idNumber, linkedRef: null, nit: id.checkDigit !== null };
}
