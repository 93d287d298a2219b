import react from '@vitejs/plugin-react';
import type { IncomingMessage } from 'node:http';
import { defineConfig, type ProxyOptions } from 'vite';

const BFF = 'http://127.0.0.1:8787';

// /demo is both the demo merchant's page (the SPA) and a prefix the BFF serves: page navigations stay
// with Vite, everything else goes to the BFF.
function bffUnlessPage(): ProxyOptions {
  return {
    target: BFF,
    bypass: (req: IncomingMessage) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined),
  };
}

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': BFF,
      '/payu': BFF,
      '/payu-sim': BFF,
      '/demo': bffUnlessPage(),
      '/embed.js': BFF,
    },
  },
});
