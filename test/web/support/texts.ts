import { enFirst } from '../../../web/i18n/en/first';
import { enLater } from '../../../web/i18n/en/later';
import { esLater } from '../../../web/i18n/es/later';
import type { Bundles } from '../../../web/i18n/i18n';

/** English, both parts (web/i18n/en/first.ts and later.ts), for tests that want it at hand. */
export const en = { first: enFirst, later: enLater } satisfies Bundles['en'];
/** Spanish's later part (its first part is always bundled). */
export const esLaterPart = { later: esLater } satisfies Bundles['es'];
