import type { Config } from './config-schema';
import { parseConfig } from './load-config';

/**
 * The built-in demo (docs/spec/http-api.md "Configuration"): merchant `demo`, whose ERP is the project's demo Recauda
 * ERP and whose PayU is the local simulator, both served by this same process. PayU's public sandbox
 * credentials sign the forms. The secrets here are public by design; never use this config in production.
 */
export const DEMO_WEBHOOK_SECRET = `whsec_${Buffer.from('saldo-demo-webhook-secret-32-byte').toString('base64')}`;

/** The demo merchant's WhatsApp number at the local Cloud API simulator (secrets public by design). */
export const DEMO_WHATSAPP = {
  phoneNumberId: '100000000000001',
  accessToken: 'demo-whatsapp-access-token',
  appSecret: 'demo-whatsapp-app-secret-not-secret',
  verifyToken: 'demo-verify-token',
  templates: {
    statement: { name: 'saldo_statement', language: 'es_CO' },
    charge: { name: 'saldo_charge', language: 'es_CO' },
    reminder: { name: 'saldo_reminder', language: 'es_CO' },
    receipt: { name: 'saldo_receipt', language: 'es_CO' },
    return: { name: 'saldo_return', language: 'es_CO' },
  },
} as const;

export function demoConfig(options: {
  publicUrl: string;
  embedOrigins?: readonly string[];
  /** Port of the demo's local SMTP capture server; absent → no email. */
  smtpPort?: number;
  /** The demo merchant's country (default CO: Ley 2300 holds collection messages and statements). */
  country?: string;
}): Config {
  return parseConfig({
    publicUrl: options.publicUrl,
    linkSecret: 'saldo-demo-link-secret-not-for-production-use',
    ...(options.smtpPort === undefined
      ? {}
      : { smtp: { host: '127.0.0.1', port: options.smtpPort, secure: false, from: 'pagos@saldo.demo' } }),
    merchants: [
      {
        id: 'demo',
        name: 'Tienda Demo S.A.S.',
        apiToken: 'demo-api-token-not-for-production',
        timezone: 'America/Bogota',
        locale: 'es-CO',
        ...(options.country === undefined ? {} : { country: options.country }),
        erp: { url: `${options.publicUrl}/demo/erp/get-recaudas`, timeoutMs: 5000 },
        payu: {
          mode: 'simulator',
          merchantId: '508029',
          accountId: '512321',
          apiKey: '4Vj8eK4rloUd272L48hsrarnUA',
          apiLogin: 'pRRXKOl8ikMmt9u',
          algorithm: 'SHA256',
        },
        minimumPayment: { COP: '10000' },
        embed: { allowedOrigins: options.embedOrigins ?? ['http://localhost:8788'] },
        webhook: { url: `${options.publicUrl}/demo/erp/webhooks`, secret: DEMO_WEBHOOK_SECRET },
        returnUrl: `${options.publicUrl}/demo`,
        // Money back through the local PayU Payouts/Refunds simulator (/payu-apis-sim).
        payouts: {
          publicKey: 'demo-payouts-public-key',
          webhookSecret: 'demo-payout-webhook-secret-not-for-production',
        },
        support: { email: 'pagos@demo.example', phone: '+57 601 555 0100' },
        // Company payers (a NIT typed with its check digit) may declare these (docs/spec/business-payments.md §2).
        withholdings: {
          payers: 'nit',
          kinds: [
            {
              code: 'rtefte-servicios',
              label: 'Retención en la fuente 4 %',
              base: 'subtotal',
              rate: '0.04',
              minimumBase: { COP: '199000' },
            },
            { code: 'reteiva', label: 'ReteIVA 15 %', base: 'iva', rate: '0.15' },
            { code: 'reteica-bogota', label: 'ReteICA 9,66 ‰', base: 'subtotal', rate: '0.00966' },
          ],
        },
        branding: { color: '#0b5cad' },
        email: { replyTo: 'cartera@tienda-demo.example' },
        whatsapp: { apiUrl: `${options.publicUrl}/whatsapp-sim`, ...DEMO_WHATSAPP },
      },
    ],
  });
}
