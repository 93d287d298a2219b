import { Hono } from 'hono';
import type { LookupResponse } from '../../shared/api/schemas';
import { calendarDateIn } from '../../shared/dates';
import { maskName } from '../../shared/mask';
import type { AppDeps } from '../app-deps';
import { chargeToItem, isVisible } from '../charges/charge-item';
import { chargeQrSvg } from '../charges/charge-qr';
import { chargeLink, chargeQrUrl } from '../charges/charge-view';
import { apiError } from '../http/api-error';
import { merchantFromPath } from '../http/merchant';
import { priceItems, toLookupItem } from '../services/lookup-service';

const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The charge link's API (docs/spec/merchant-charges.md): `/{merchant}/c/{linkId}` shows that one charge
 * without an id number, so the link id (144 random bits) is the credential: it never reaches a log line (the
 * route pattern is logged, not the path) and the answers are never cached.
 */
export function chargeLinkRoutes(deps: AppDeps) {
  const merchant = merchantFromPath(deps.merchants);
  const load = async (merchantId: string, linkId: string) => {
    if (!LINK_ID.test(linkId)) return null;
    const charge = await deps.store.getChargeByLink(linkId);
    return charge && charge.merchantId === merchantId ? charge : null;
  };

  return new Hono()
    .get('/merchants/:merchantId/charges/:linkId', merchant, async (c) => {
      c.header('Cache-Control', 'no-store');
      const m = c.var.merchant;
      const now = deps.clock.now();
      const today = calendarDateIn(m.timezone, now);
      const charge = await load(m.id, c.req.param('linkId'));
      // A draft, or a scheduled charge before its day, is as absent as a wrong link.
      if (!charge || !isVisible(charge, today)) return apiError(c, 404, 'not_found');
      const [priced] = await priceItems(deps, m, [chargeToItem(charge)], today, now);
      const body: LookupResponse = {
        merchant: { id: m.id, name: m.name },
        asOf: today,
        payer: { maskedName: maskName(charge.details.payer.first_name) },
        items: priced ? [toLookupItem(priced)] : [],
        skipped: 0,
        duplicates: 0,
        linkedRef: charge.externalReference,
      };
      return c.json(body, 200);
    })
    .get('/merchants/:merchantId/charges/:linkId/qr.svg', merchant, async (c) => {
      c.header('Cache-Control', 'no-store');
      const m = c.var.merchant;
      const charge = await load(m.id, c.req.param('linkId'));
      if (!charge || !chargeQrUrl(deps.config.publicUrl, charge)) return apiError(c, 404, 'not_found');
      const svg = await chargeQrSvg(chargeLink(deps.config.publicUrl, charge));
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
    });
}
