import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of code is running for. Routes and services log through the one logger of AppDeps,
 * built before any request exists, so the request id cannot be bound into it; the logger's mixin reads it
 * from here instead, and every line logged while serving a request carries that request's id.
 */
export interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
