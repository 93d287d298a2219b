import react from '@vitejs/plugin-react';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

const BFF = 'http://127.0.0.1:8787';

// /demo is both the demo merchant's page (the SPA) and a prefix the BFF serves: page navigations stay
// with Vite, everything else goes to the BFF.
function bffUnlessPage(): ProxyOptions {
  return {
    target: BFF,
    bypass: (req: IncomingMessage) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined),
  };
}

/**
 * Writes `.br` and `.gz` beside every text asset at build time, so the BFF serves them precompressed
 * (serveStatic `precompressed`) at maximum compression without spending CPU per request.
 */
function precompress(): Plugin {
  return {
    name: 'saldo-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist/web';
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json|txt)$/.test(file)) continue;
        const source = readFileSync(join(dir, file));
        if (source.length < 1024) continue;
        writeFileSync(join(dir, `${file}.gz`), gzipSync(source, { level: 9 }));
        writeFileSync(
          join(dir, `${file}.br`),
          brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    // Every browser the portal supports (ES2022 modules) preloads modules natively: no polyfill shipped.
    modulePreload: { polyfill: false },
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
