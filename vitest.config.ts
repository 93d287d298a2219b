import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests that need PostgreSQL/Redis create their own schema/keys, so files can run in parallel.
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/shared/**/*.test.ts', 'test/bff/**/*.test.ts'],
          setupFiles: ['test/support/setup-node.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'happy-dom',
          include: ['test/web/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/setup-web.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
