/** Where a receipt lives (docs/spec/business-payments.md §3): the token, never the payment reference. */
export const RECEIPT_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function receiptPath(merchantId: string, token: string): string {
  return `/${merchantId}/receipts/${token}`;
}

export function receiptPdfPath(merchantId: string, token: string, paper: 'a4' | 'letter' = 'a4'): string {
  return `${receiptPath(merchantId, token)}/receipt.pdf?paper=${paper}`;
}

export function verifyPath(merchantId: string, token: string): string {
  return `${receiptPath(merchantId, token)}/verify`;
}
