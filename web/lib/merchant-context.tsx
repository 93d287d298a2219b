import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MerchantPublic } from './api-client';
import { displayLocale } from './format-money';

const MerchantContext = createContext<MerchantPublic | null>(null);

export function MerchantProvider({ merchant, children }: { merchant: MerchantPublic; children: ReactNode }) {
  return <MerchantContext.Provider value={merchant}>{children}</MerchantContext.Provider>;
}

export function useMerchant(): MerchantPublic {
  const merchant = useContext(MerchantContext);
  if (!merchant) throw new Error('useMerchant needs a MerchantProvider');
  return merchant;
}

/** The locale for money and dates: the language the payer reads, the merchant's region. */
export function useDisplayLocale(): string {
  const { i18n } = useTranslation();
  const merchant = useContext(MerchantContext);
  return displayLocale(i18n.resolvedLanguage ?? i18n.language, merchant?.locale ?? 'es-CO');
}
