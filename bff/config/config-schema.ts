import { z } from 'zod';
import { isValidTimeZone } from '../../shared/dates';
import { CURRENCIES, toPositiveMinor, type Currency, parseDecimal } from '../../shared/money';
import { lateFeePolicySchema } from '../../shared/pricing/late-fee-policy';
import { parseCidr } from './cidr';

/** The portal's configuration file (docs/spec/http-api.md "Configuration"), validated once at start-up. */

/** First path segments the portal itself uses: a merchant with one of these ids would be unreachable. */
const RESERVED_MERCHANT_IDS = new Set([
  'api',
  'assets',
  'payu',
  'payu-sim',
  'payu-apis-sim',
  'healthz',
  'readyz',
  'metrics',
  'embed.js',
  's',
  'pay',
  'v1',
  'whatsapp',
  'whatsapp-sim',
]);

const url = z.url({ protocol: /^https?$/ });

const minimumsSchema = z
  .partialRecord(z.enum(CURRENCIES), z.union([z.string(), z.number()]))
  .default({})
  .transform((v, ctx) => {
    const out: Partial<Record<Currency, bigint>> = {};
    for (const [currency, value] of Object.entries(v) as [Currency, string | number][]) {
      const minor = toPositiveMinor(value, currency);
      if (minor === null) {
        ctx.addIssue({ code: 'custom', path: [currency], message: 'must be a positive amount' });
        continue;
      }
      out[currency] = minor;
    }
    return out;
  });

const erpSchema = z.object({
  url,
  headers: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * Short cache of the ERP's answer per payer (docs/spec/erp-recauda.md allows seconds). It also makes a burst of
   * lookups of one id cost one ERP call even when the burst outlasts one call. Payments and holds the portal
   * recorded are always applied on top, so it never hides a payment; 0 turns it off. Absent → the ERP
   * client's default (2 s, bff/erp/cached-erp-client.ts): no default here, or it would silently override the
   * options server.ts gives the client.
   */
  cacheTtlMs: z.number().int().min(0).max(60_000).optional(),
  /** How long the last good answer may stand in while the ERP is failing. Absent → the client's 60 s. */
  staleIfErrorMs: z.number().int().min(0).max(600_000).optional(),
});

const payuSchema = z.object({
  mode: z.enum(['production', 'sandbox', 'simulator']),
  merchantId: z.string().regex(/^\d{1,20}$/),
  accountId: z.string().regex(/^\d{1,20}$/),
  apiKey: z.string().min(1),
  apiLogin: z.string().min(1),
  algorithm: z.enum(['MD5', 'SHA', 'SHA256']).default('SHA256'),
  /** The gateway's own minimum per currency (docs/spec/pricing.md "E"); absent counts as 0. */
  minimumPayment: minimumsSchema,
  /** Currencies this PayU account charges in: what merchant charges may use (docs/spec/merchant-charges.md). */
  currencies: z.array(z.enum(CURRENCIES)).min(1).default(['COP']),
});

/** A withholding rate: a decimal strictly between 0 and 1, kept as its text (docs/spec/business-payments.md §2). */
const withholdingRate = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => {
    const d = parseDecimal(v);
    return d !== null && d.int > 0n && d.int < 10n ** BigInt(d.scale) && d.scale <= 10;
  }, 'must be a decimal between 0 and 1, e.g. "0.04"');

const withholdingsSchema = z
  .object({
    payers: z.enum(['nit', 'all']).default('nit'),
    kinds: z
      .array(
        z.object({
          code: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 characters of a-z, 0-9 and -'),
          label: z.string().trim().min(1).max(80),
          base: z.enum(['subtotal', 'iva']),
          rate: withholdingRate,
          minimumBase: minimumsSchema,
        }),
      )
      .max(20)
      .refine((kinds) => new Set(kinds.map((k) => k.code)).size === kinds.length, 'duplicate code'),
  })
  .optional();
/** A pre-approved WhatsApp template (Meta Cloud API): its name and language code, e.g. es_CO. */
const whatsappTemplateSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name of a-z, 0-9 and _'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as es_CO or en'),
});

/** docs/spec/notifications.md "WhatsApp": one business phone number of the merchant on Meta's Cloud API. */
const whatsappSchema = z.object({
  /** Meta's Graph API origin; the demo points it at the local simulator. */
  apiUrl: url.default('https://graph.facebook.com'),
  apiVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d$/)
    .default('v21.0'),
  phoneNumberId: z.string().regex(/^\d{5,20}$/),
  accessToken: z.string().min(1),
  /** Signs the status webhooks (X-Hub-Signature-256). */
  appSecret: z.string().min(16, 'must be at least 16 characters'),
  /** What Meta sends as hub.verify_token when the webhook URL is registered. */
  verifyToken: z.string().min(8, 'must be at least 8 characters'),
  templates: z
    .object({
      statement: whatsappTemplateSchema.optional(),
      charge: whatsappTemplateSchema.optional(),
      reminder: whatsappTemplateSchema.optional(),
      receipt: whatsappTemplateSchema.optional(),
      return: whatsappTemplateSchema.optional(),
    })
    .default({}),
});

const emailAddress = z.string().trim().max(255).pipe(z.email());

/** SMTP for every merchant's email (docs/spec/notifications.md "Email"). */
const smtpSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().optional(),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: emailAddress,
});

export const merchantSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/, 'must be 2–40 characters of a-z, 0-9 and -')
    .refine((id) => !RESERVED_MERCHANT_IDS.has(id), 'is reserved by a portal route'),
  name: z.string().min(1).max(120),
  apiToken: z.string().min(16, 'must be at least 16 characters'),
  timezone: z
    .string()
    .default('America/Bogota')
    .refine((tz) => isValidTimeZone(tz), 'unknown time zone'),
  locale: z.enum(['es-CO', 'en-US']).default('es-CO'),
  /** Absent: the merchant runs with pushed charges only (docs/spec/merchant-charges.md). */
  erp: erpSchema.optional(),
  payu: payuSchema,
  minimumPayment: minimumsSchema,
  lateFees: lateFeePolicySchema.optional(),
  embed: z.object({ allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]) }).default({
    allowedOrigins: [],
  }),
  webhook: z
    .object({
      url,
      secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'must be whsec_<base64 key>'),
    })
    .optional(),
  returnUrl: url.optional(),
  /** The merchant's NIT as printed on receipts (display only). */
  taxId: z.string().trim().min(1).max(40).optional(),
  /** Withholdings company payers may declare (docs/spec/business-payments.md §2); absent: none. */
  withholdings: withholdingsSchema,
  /**
   * Money back by PayU Payouts (docs/spec/money-back.md): the merchant's PayU Public Key (the other
   * credentials are `payu`'s) and the secret path segment of the payout webhook URL, which PayU does not
   * sign. Without it, returns are recorded and approved but only card refunds can be sent.
   */
  payouts: z
    .object({
      publicKey: z.string().min(1),
      webhookSecret: z
        .string()
        .regex(/^[A-Za-z0-9_-]{24,128}$/, 'must be 24–128 characters of A-Z, a-z, 0-9, _ and -'),
      /** The bank account must belong to the payer (document = the payer's id number); false allows a third party. */
      sameDocumentOnly: z.boolean().default(true),
      /** The Payouts API origin; absent → PayU's for `payu.mode` (the local simulator in simulator mode). */
      apiUrl: url.optional(),
    })
    .optional(),
  /** Where payers get help: shown in the portal's footer and wherever a message says "contact the merchant". */
  support: z
    .object({
      email: z.email().max(255).optional(),
      phone: z
        .string()
        .regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a phone number')
        .optional(),
      url: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
  termsUrl: z.url({ protocol: /^https?$/ }).optional(),
  privacyUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Ley 2300 de 2023 binds merchants in Colombia (docs/spec/notifications.md "Collection law"). */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .default('CO'),
  email: z.object({ from: emailAddress.optional(), replyTo: emailAddress.optional() }).default({}),
  whatsapp: whatsappSchema.optional(),
  branding: z
    .object({
      logoUrl: z.url({ protocol: /^https?$/ }).optional(),
      color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
        .optional(),
    })
    .default({}),
});

export const configSchema = z
  .object({
    publicUrl: url.transform((u) => u.replace(/\/+$/, '')),
    linkSecret: z.string().min(32, 'must be at least 32 characters'),
    trustedProxies: z.number().int().min(0).max(10).default(0),
    /**
     * The proxies' own addresses (CIDRs or single addresses). When given, X-Forwarded-For is read only from
     * a TCP peer in this list; without it, anyone who reaches the port directly can pick their address.
     */
    trustedProxyAddresses: z
      .array(z.string().refine((s) => parseCidr(s) !== null, 'must be an address or CIDR (10.0.0.0/8)'))
      .max(100)
      .optional(),
    rateLimits: z
      .object({
        lookupsPerIpPerMinute: z.number().int().min(1).default(10),
        lookupsPerIdPer10Minutes: z.number().int().min(1).default(30),
        /**
         * GET …/payments/{reference}: a result page polls every 3 s or slower, so this leaves room for six
         * payers behind one address (mobile carriers share addresses).
         */
        paymentReadsPerIpPerMinute: z.number().int().min(1).default(120),
        /** Failed merchant authentications before the address is refused for the rest of the window. */
        merchantAuthFailuresPerIpPer10Minutes: z.number().int().min(1).default(10),
      })
      .prefault({}),
    /**
     * Where /metrics is served: `{ "token": "env:…" }` → on the main port behind `Authorization: Bearer`;
     * `{ "port": 9464 }` → only on a separate listener (bind it to a private interface with `host`).
     * Absent → not served at all.
     */
    metrics: z
      .union([
        z.object({ token: z.string().min(16, 'must be at least 16 characters') }).strict(),
        z
          .object({
            // 0: any free port (tests read it back from the "metrics listening" log line).
            port: z.number().int().min(0).max(65535),
            host: z.string().min(1).default('127.0.0.1'),
          })
          .strict(),
      ])
      .optional(),
    /** How long a created checkout holds its items (payment_pending), and how long after PayU said pending. */
    holdMinutes: z.number().int().min(1).max(1440).default(30),
    pendingHoldMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 7)
      .default(60 * 24),
    smtp: smtpSchema.optional(),
    merchants: z.array(merchantSchema).min(1),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.merchants.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({ code: 'custom', path: ['merchants', i, 'id'], message: 'duplicate id' });
      seen.add(m.id);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type MerchantConfig = z.infer<typeof merchantSchema>;
export type SmtpConfig = z.infer<typeof smtpSchema>;
export type WhatsappConfig = z.infer<typeof whatsappSchema>;
