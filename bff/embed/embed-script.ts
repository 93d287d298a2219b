/**
 * The source of `/embed.js` (docs/spec/channels.md "Merchant iframe"), which merchants include as
 * `<script src="https://<portal>/embed.js" data-merchant="acme" async></script>`.
 *
 * It is plain ES5 with no dependencies because it runs on the merchant's pages, in whatever browser their
 * customers have, next to whatever else those pages load: no arrow functions, no let/const, no template
 * literals, nothing global but one guard flag. The portal origin is baked in from config.publicUrl when the
 * script is served, so `event.origin` is compared with an exact string and never derived from the page.
 *
 * Messages are trusted only when all hold: the sender's origin is the portal, the sender window is this
 * iframe (not another frame of the portal on the same page), and the data has the portal's envelope
 * `{ source: 'saldo', v: 1, type }`.
 */
const SOURCE = String.raw`(function () {
  'use strict';
  var PORTAL = __PORTAL_ORIGIN__;
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 20000;
  var MERCHANT_ID = /^[a-z0-9-]{2,40}$/;

  function dispatch(host, type, data) {
    var name = 'saldo:' + type;
    var event;
    if (typeof window.CustomEvent === 'function') {
      event = new window.CustomEvent(name, { bubbles: true, detail: data });
    } else {
      event = document.createEvent('CustomEvent');
      event.initCustomEvent(name, true, false, data);
    }
    host.dispatchEvent(event);
  }

  function mount(script) {
    if (script.getAttribute('data-saldo-mounted') === '1') return;
    var merchant = script.getAttribute('data-merchant') || '';
    if (!MERCHANT_ID.test(merchant)) return;
    script.setAttribute('data-saldo-mounted', '1');

    var host = document.createElement('div');
    host.className = 'saldo-embed';
    var iframe = document.createElement('iframe');
    iframe.src = PORTAL + '/' + merchant + '?embed=1&origin=' + encodeURIComponent(window.location.origin);
    iframe.title = script.getAttribute('data-title') || 'Portal de pagos';
    iframe.setAttribute('width', '100%');
    iframe.setAttribute('height', String(MIN_HEIGHT * 5));
    iframe.setAttribute('frameborder', '0');
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.display = 'block';
    host.appendChild(iframe);
    if (script.parentNode) script.parentNode.insertBefore(host, script.nextSibling);
    else document.body.appendChild(host);

    window.addEventListener('message', function (event) {
      if (event.origin !== PORTAL || event.source !== iframe.contentWindow) return;
      var data = event.data;
      if (!data || typeof data !== 'object' || data.source !== 'saldo' || data.v !== 1) return;
      if (typeof data.type !== 'string' || !/^[a-z_]{1,40}$/.test(data.type)) return;
      if (data.type === 'resize' && typeof data.height === 'number' && isFinite(data.height)) {
        var h = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
        iframe.style.height = h + 'px';
        iframe.setAttribute('height', String(h));
      }
      dispatch(host, data.type, data);
    });
  }

  var current = document.currentScript;
  if (current && current.getAttribute('data-merchant') !== null) {
    mount(current);
    return;
  }
  // document.currentScript is null in some old browsers: mount every not-yet-mounted tag of this script.
  var scripts = document.querySelectorAll('script[data-merchant]');
  for (var i = 0; i < scripts.length; i++) {
    var src = scripts[i].src || '';
    if (src.indexOf(PORTAL + '/embed.js') === 0) mount(scripts[i]);
  }
})();
`;

/** The script for a portal at `publicUrl` (its origin is what the embedded SPA posts from). */
export function embedScript(publicUrl: string): string {
  const origin = new URL(publicUrl).origin;
  // JSON.stringify yields a JS string literal; escaping `<` keeps it inert even if inlined in HTML.
  return SOURCE.replace('__PORTAL_ORIGIN__', () => JSON.stringify(origin).replace(/</g, '\\u003c'));
}
