import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from '../erp/address-guard';

/**
 * Webhook targets in production (docs/spec/http-api.md: "production enforces https-only, public-address-only ERP and
 * webhook URLs"). Item webhook URLs come from the ERP payload, so they are outside input: without this a
 * merchant's ERP could make the portal POST into its own network. Every resolved address must be public.
 * (The check and the connection resolve separately; the ERP client closes that gap inside the socket, the
 * webhook path accepts it because the body it sends is the merchant's own event, never a secret.)
 */
type ResolveAll = (host: string) => Promise<readonly { address: string }[]>;

const resolveAll: ResolveAll = (host) => lookup(host, { all: true, verbatim: true });

export function createWebhookUrlGuard(resolve: ResolveAll = resolveAll) {
  return async function urlAllowed(url: string): Promise<boolean> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return isPublicAddress(host);
    try {
      const addresses = await resolve(host);
      return addresses.length > 0 && addresses.every((a) => isPublicAddress(a.address));
    } catch {
      return false;
    }
  };
}
