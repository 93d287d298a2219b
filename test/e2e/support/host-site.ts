import { createServer, type Server } from 'node:http';

/**
 * The "merchant site" that embeds the portal: a page with the README's embed snippet and a recorder of the
 * `saldo:*` DOM events (window.__events) and of the raw postMessages it receives (window.__messages).
 * The same server answers on http://localhost:<port> (allowed by SALDO_DEMO_EMBED_ORIGINS) and on
 * http://127.0.0.1:<port> (another origin, not allowed), so one server plays both merchant sites.
 * A merchant's own page has no CSP here, so the recorder may be an inline script. Each event is also handed
 * to `window.__saldoRecord` when the test exposed it, so the events outlive the page (PayU replaces it).
 */
export const SALDO_EVENTS = [
  'ready',
  'resize',
  'lookup_completed',
  'payment_started',
  'payment_result',
  'error',
] as const;

function hostPage(portalOrigin: string): string {
  const recorder = `
    window.__events = [];
    window.__messages = [];
    ${JSON.stringify(SALDO_EVENTS)}.forEach(function (type) {
      document.addEventListener('saldo:' + type, function (event) {
        var record = { type: event.type, detail: event.detail, target: event.target.className };
        window.__events.push(record);
        // The test's page.exposeFunction: events survive the top-level navigation to PayU.
        if (typeof window.__saldoRecord === 'function') window.__saldoRecord(JSON.stringify(record));
      });
    });
    window.addEventListener('message', function (event) {
      window.__messages.push({ origin: event.origin, data: event.data });
    });`;
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tienda Demo: paga aquí</title>
<link rel="icon" href="data:,">
<script>${recorder}</script>
</head>
<body>
<main>
<h1>Tienda Demo</h1>
<p>Paga tus facturas sin salir de nuestra tienda.</p>
<div id="pay-here"></div>
<script src="${portalOrigin}/embed.js" data-merchant="demo" data-target="#pay-here" async></script>
</main>
</body>
</html>`;
}

export function createHostSite(portalUrl: string): Server {
  const html = hostPage(new URL(portalUrl).origin);
  return createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
  });
}
