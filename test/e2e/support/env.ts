import { inject } from 'vitest';

/** What global-setup.ts provides to every e2e file. */
export interface E2eEnv {
  /** The portal (the real BFF serving the built SPA), e.g. http://127.0.0.1:40123. */
  portalUrl: string;
  /** The merchant site allowed to frame the portal: http://localhost:<hostPort>. */
  allowedHostUrl: string;
  /** The same page from an origin the merchant did not allow: http://127.0.0.1:<hostPort>. */
  strangerHostUrl: string;
  /** test-artifacts/e2e, absolute. */
  artifactsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eEnv;
  }
}

export function e2eEnv(): E2eEnv {
  return inject('e2e');
}

/** The demo merchant (bff/config/demo-config.ts): public by design, never for production. */
export const DEMO = {
  merchantId: 'demo',
  apiToken: 'demo-api-token-not-for-production',
  linkSecret: 'saldo-demo-link-secret-not-for-production-use',
} as const;
