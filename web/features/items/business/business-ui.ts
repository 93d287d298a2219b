/** The company payer's tools, in a chunk of their own (web/features/items/lazy-business.tsx loads it). */
export { SpreadPanel } from './spread-panel';
export { WithholdingFields } from './withholding-fields';
