import type { MerchantConfig } from '../config/config-schema';
import type { Brand } from './messages/models';

/** The portal's blue when the merchant set no colour. */
const DEFAULT_COLOR = '#0b5cad';

export function brandOf(merchant: MerchantConfig): Brand {
  return {
    merchantName: merchant.name,
    color: merchant.branding.color ?? DEFAULT_COLOR,
    logoUrl: merchant.branding.logoUrl ?? null,
  };
}
