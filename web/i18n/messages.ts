import type { es } from './es';

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** The shape every language must have: Spanish's keys, any text. */
export type Messages = Widen<typeof es>;
