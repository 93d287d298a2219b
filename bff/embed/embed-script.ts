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
  var DEFAULT_CONTAINER = 'saldo-portal';

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

  function fail(text) {
    if (window.console && typeof window.console.error === 'function') window.console.error('[saldo] embed.js: ' + text);
  }

  function containerFor(script) {
    var selector = script.getAttribute('data-target');
    if (selector) {
      var target = null;
      try {
        target = document.querySelector(selector);
      } catch (e) {
        target = null;
      }
      if (!target) fail('no element matches data-target="' + selector + '"; the portal was not mounted.');
      return target;
    }
    var fallback = document.getElementById(DEFAULT_CONTAINER);
    if (!fallback) {
      fail(
        'no container: add <div id="' + DEFAULT_CONTAINER + '"></div> to the page, or data-target="#your-id" ' +
          'to the script tag; the portal was not mounted.'
      );
    }
    return fallback;
  }

  // Back from PayU: the merchant page was reopened with ?saldo_result=<reference>; the iframe opens that
  // payment's result, which tells this page (saldo:payment_result).
  function resultPath() {
    var params = window.location.search.replace(/^\?/, '').split('&');
    var found = {};
    for (var i = 0; i < params.length; i++) {
      var pair = params[i].split('=');
      var name = decodeURIComponent(pair[0] || '');
      if (name.indexOf('saldo_') === 0) found[name] = decodeURIComponent((pair[1] || '').replace(/\+/g, ' '));
    }
    var reference = found.saldo_result;
    if (!reference || !/^[A-Za-z0-9_-]{1,64}$/.test(reference)) return null;
    var extra = '';
    if (found.saldo_payu && /^[a-z]{1,12}$/.test(found.saldo_payu)) extra += '&payu=' + found.saldo_payu;
    if (found.saldo_lng === 'es' || found.saldo_lng === 'en') extra += '&lng=' + found.saldo_lng;
    return { path: '/pay/result/' + reference, extra: extra };
  }

  function mount(script) {
    if (script.getAttribute('data-saldo-mounted') === '1') return;
    var merchant = script.getAttribute('data-merchant') || '';
    if (!MERCHANT_ID.test(merchant)) {
      fail('data-merchant="' + merchant + '" is not a merchant id; the portal was not mounted.');
      return;
    }
    var container = containerFor(script);
    if (!container) return;
    script.setAttribute('data-saldo-mounted', '1');

    var host = document.createElement('div');
    host.className = 'saldo-embed';
    var iframe = document.createElement('iframe');
    var result = resultPath();
    iframe.src =
      PORTAL + '/' + merchant + (result ? result.path : '') +
      '?embed=1&origin=' + encodeURIComponent(window.location.origin) +
      '&page=' + encodeURIComponent(window.location.pathname) +
      (result ? result.extra : '');
    iframe.title = script.getAttribute('data-title') || 'Portal de pagos';
    iframe.setAttribute('width', '100%');
    iframe.setAttribute('height', String(MIN_HEIGHT * 5));
    iframe.setAttribute('frameborder', '0');
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.display = 'block';
    host.appendChild(iframe);
    container.appendChild(host);

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

  function start(tags) {
    for (var i = 0; i < tags.length; i++) mount(tags[i]);
  }

  var current = document.currentScript;
  var tags = [];
  if (current && current.getAttribute('data-merchant') !== null) {
    tags.push(current);
  } else {
    // document.currentScript is null in some old browsers: every not-yet-mounted tag of this script.
    var scripts = document.querySelectorAll('script[data-merchant]');
    for (var j = 0; j < scripts.length; j++) {
      var src = scripts[j].src || '';
      if (src.indexOf(PORTAL + '/embed.js') === 0) tags.push(scripts[j]);
    }
  }
  // From <head>, or loaded before the container was parsed, the page is not there yet: mount once it is.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      start(tags);
    });
  } else {
    start(tags);
  }
})();
`;

/** The script for a portal at `publicUrl` (its origin is what the embedded SPA posts from). */
export function embedScript(publicUrl: string): string {
  const origin = new URL(publicUrl).origin;
  // JSON.stringify yields a JS string literal; escaping `<` keeps it inert even if inlined in HTML.
  return SOURCE.replace('__PORTAL_ORIGIN__', () => JSON.stringify(origin).replace(/</g, '\\u003c'));
}
