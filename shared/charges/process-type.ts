import type { ProcessType } from './charge-fields';

/**
 * How a charge is being collected (seed 004 `process_type`) and what that means for the payer
 * (docs/spec/merchant-charges.md "Update"): its `state`, and why it is not payable online, if it is not.
 */

export type OfflineBlock = 'in_review' | 'settled_offline' | 'returned';

export function processState(
  processType: ProcessType,
  ret: { readonly type: 'pending' | 'success' } | null,
): string {
  switch (processType) {
    case 'digital':
    case 'express':
      return 'PENDING';
    case 'cash':
      return 'REVIEW';
    case 'credit':
      return 'CREDIT';
    case 'direct':
    case 'external':
      return 'SETTLED';
    case 'return':
      return ret?.type === 'success' ? 'RET_SUCCESS' : 'RET_PENDING';
    case 'split':
      return 'SPLIT';
  }
}

export function offlineBlock(processType: ProcessType): OfflineBlock | null {
  switch (processType) {
    case 'cash':
      return 'in_review';
    case 'credit':
    case 'direct':
    case 'external':
      return 'settled_offline';
    case 'return':
      return 'returned';
    default:
      return null;
  }
}

/** Split parts paid in the portal (one amount); the others count as paid offline. */
export function isOnlinePart(method: string): boolean {
  return method === 'digital' || method === 'express';
}
