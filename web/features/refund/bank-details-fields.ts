import type { BankDetails } from '../../lib/api-client';

export type BankDetailsField = keyof BankDetails;

export const DOCUMENT_TYPES = ['CC', 'CE', 'NIT', 'PP'] as const;
export const ACCOUNT_TYPES = ['CA', 'CC'] as const;
