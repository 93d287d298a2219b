import { createHmac, timingSafeEqual } from 'node:crypto';

/** Meta's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body under the app secret. */
export function hubSignature(appSecret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function hubSignatureValid(
  appSecret: string,
  rawBody: Uint8Array,
  header: string | undefined,
): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(hubSignature(appSecret, rawBody), 'utf8');
  const presented = Buffer.from(header.toLowerCase(), 'utf8');
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
