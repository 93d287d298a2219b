import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, type LinkSealer } from './link-token';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StatementLinkInput {
  readonly publicUrl: string;
  readonly sealer: LinkSealer;
  readonly merchantId: string;
  /** Already normalised (normalizeIdNumber). */
  readonly idNumber: string;
  readonly ref?: string;
  readonly expiresInDays?: number;
  readonly now: Date;
}

/**
 * A statement link (docs/spec/channels.md): `${publicUrl}/${merchant}/s/${token}`. Shared by the API, the
 * CLI and whatever else sends payers a link. The token stores whole seconds, so the reported expiry is cut
 * to the second to say exactly what it holds.
 */
export function buildStatementLink(input: StatementLinkInput): { url: string; expiresAt: Date } {
  const days = input.expiresInDays ?? DEFAULT_LINK_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_LINK_DAYS) {
    throw new RangeError(`expiresInDays must be a whole number from 1 to ${MAX_LINK_DAYS}`);
  }
  const expiresAt = new Date(Math.floor((input.now.getTime() + days * DAY_MS) / 1000) * 1000);
  const token = input.sealer.seal({
    merchantId: input.merchantId,
    idNumber: input.idNumber,
    ...(input.ref === undefined ? {} : { ref: input.ref }),
    expiresAt,
  });
  return { url: `${input.publicUrl}/${encodeURIComponent(input.merchantId)}/s/${token}`, expiresAt };
}
