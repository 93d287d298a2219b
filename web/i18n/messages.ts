import type { esFirst } from './es/first';
import type { esLater } from './es/later';

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The shape every language's first part must have: Spanish's keys, any text. */
export type FirstMessages = Widen<typeof esFirst>;
/** The shape every language's later part must have. */
export type LaterMessages = Widen<typeof esLater>;
/**
 * Every key, both parts: they share i18next's one namespace ('translation'), so components use the same
 * `t('items.title')` whichever part a text is in. `errors` is split between the parts (deep-merged).
 */
export type AllMessages = typeof esFirst & typeof esLater;
