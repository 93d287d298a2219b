import { defineConfig } from 'vitest/config';

/**
 * The browser suite (`npm run test:e2e`): the real BFF (`node --import tsx bff/server.ts`, demo config,
 * SQLite in a temp file) and the built SPA, driven in Debian's Chromium through playwright-core.
 * One file at a time: they share one server and one PayU simulator.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // expect.poll waits on a browser: give it the time a page needs (the default is 1 s).
    expect: { poll: { timeout: 10_000, interval: 100 } },
    // A browser flow that fails once fails for a reason: no retries hiding it.
    retry: 0,
  },
});
