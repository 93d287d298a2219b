import type { z } from 'zod';
import type { IsoDate } from '../dates';
import { normalizeIdNumber } from '../id-number';
import { toMinor, isCurrency, type Currency } from '../money';
import { incentiveReachesAmount, type IncentivePolicy } from '../pricing/incentive';
import {
  CHARGE_STATUSES,
  REFERENCE_KEYS,
  chargeFieldSchemas,
  conditionSchema,
  entryActionSchema,
  type ChargeFieldName,
  type ChargeStatus,
  type ProcessType,
} from './charge-fields';
import { processState } from './process-type';

/**
 * Reads a create (seed 002) or an update (seed 004) of a merchant charge into the stored form, reporting every
 * bad field at once (docs/spec/merchant-charges.md). Pure: ids for new fixed entries come from `rules.newId`.
 */

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface FixedEntry {
  readonly id: string;
  readonly date: IsoDate;
  /** Decimal text, priced in the charge's currency. */
  readonly value: string;
  readonly reminder: boolean;
  readonly reminder_template: string | null;
  readonly reminder_channel: 'whatsapp' | 'email' | null;
}

export type ChargeCondition =
  | {
      readonly condition_type: 'automated';
      readonly type: 'amount' | 'percentage';
      readonly value: string;
      readonly frequency: number;
      readonly limit: number;
    }
  | { readonly condition_type: 'fixed'; readonly fixed: readonly FixedEntry[] };

export type ReferenceKey = (typeof REFERENCE_KEYS)[number];

export interface ChargePayer {
  readonly phone: string | null;
  readonly email: string | null;
  readonly user_id_type: string | null;
  /** Normalised (CC/CE/NIT: digits, NIT without its check digit). */
  readonly user_id_number: string | null;
  readonly first_name: string | null;
}

export interface SplitPart {
  readonly amount: string;
  readonly payment_method: Exclude<ProcessType, 'split'>;
  readonly return?: { readonly type: 'pending' | 'success'; readonly reason: string };
  readonly express?: { readonly method: 'nequi' | 'daviplata' | 'qr'; readonly reference?: string };
  readonly external?: { readonly reason: string };
}

/** Everything stored about a charge besides its keys, status, currency and amount (JSON-serialisable). */
export interface ChargeDetails {
  readonly description: string;
  readonly references: Readonly<Record<ReferenceKey, string | null>>;
  readonly channel: 'link' | 'email' | 'whatsapp';
  readonly user_notification: boolean;
  readonly expected_amount: string | null;
  readonly expected_date: IsoDate | null;
  readonly reminder_date: IsoDate | null;
  readonly limit_date: IsoDate | null;
  readonly merchant_id_number: string;
  readonly merchant_phone: string;
  readonly merchant_email: string | null;
  readonly return_url: string | null;
  readonly expiration: boolean;
  readonly attachment: string | null;
  readonly comments: string | null;
  readonly payer: ChargePayer;
  readonly affiliate: { readonly id_type: string | null; readonly id_number: string } | null;
  readonly invoice: {
    readonly provider: 'alegra' | 'siigo';
    readonly type: 'link' | 'balance' | 'create';
    readonly id: string | null;
    readonly retentions: readonly number[] | null;
  } | null;
  readonly late_fees: ChargeCondition | null;
  readonly advance_payment: ChargeCondition | null;
  readonly process_type: ProcessType;
  /** Seed 004's state: PENDING, REVIEW, CREDIT, SETTLED, RET_PENDING, RET_SUCCESS, SPLIT. */
  readonly state: string;
  readonly return: { readonly type: 'pending' | 'success'; readonly reason: string } | null;
  readonly express: {
    readonly method: 'nequi' | 'daviplata' | 'qr';
    readonly reference: string | null;
  } | null;
  readonly external: { readonly reason: string } | null;
  readonly split: readonly SplitPart[] | null;
}

export interface ChargeState {
  readonly status: ChargeStatus;
  readonly currency: Currency;
  /** A, minor units. */
  readonly amount: bigint;
  readonly details: ChargeDetails;
}

export interface ChargeRules {
  /** The merchant's accepted currencies. */
  readonly currencies: readonly Currency[];
  readonly production: boolean;
  readonly newId: () => string;
}

export type ReadResult =
  | { readonly ok: true; readonly value: ChargeState; readonly changed: ReadonlySet<string> }
  | { readonly ok: false; readonly fields: readonly FieldError[] };

type Parsed = Partial<Record<ChargeFieldName, unknown>> & Record<string, unknown>;

function pathText(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function pushIssues(errors: FieldError[], prefix: string, error: z.ZodError): void {
  for (const issue of error.issues)
    errors.push({ path: pathText(prefix, issue.path), message: issue.message });
}

const EMPTY_PAYER: ChargePayer = {
  phone: null,
  email: null,
  user_id_type: null,
  user_id_number: null,
  first_name: null,
};

/** Fields other than these are ignored (docs/spec: unknown fields are logged, never an error). */
function readFields(raw: Record<string, unknown>, mode: 'create' | 'update', errors: FieldError[]): Parsed {
  const out: Parsed = {};
  for (const [name, schema] of Object.entries(chargeFieldSchemas) as [ChargeFieldName, z.ZodType][]) {
    if (!(name in raw)) continue;
    const value = raw[name];
    if (value === undefined) continue;
    if (value === null && (REFERENCE_KEYS as readonly string[]).includes(name)) {
      out[name] = null;
      continue;
    }
    if (mode === 'create' && ['process_type', 'return', 'express', 'external', 'split'].includes(name))
      continue;
    const r = schema.safeParse(value);
    if (r.success) out[name] = r.data;
    else pushIssues(errors, name, r.error);
  }
  for (const key of ['late_fees', 'advance_payment'] as const) {
    if (!(key in raw) || raw[key] === undefined || raw[key] === null) continue;
    if (mode === 'create') {
      const r = conditionSchema.safeParse(raw[key]);
      if (r.success) out[key] = r.data;
      else pushIssues(errors, key, r.error);
    } else {
      const list = raw[key];
      if (!Array.isArray(list)) {
        errors.push({ path: key, message: 'a list of actions: { action: add | edit | delete, … }' });
        continue;
      }
      const actions: z.infer<typeof entryActionSchema>[] = [];
      list.forEach((entry, i) => {
        const r = entryActionSchema.safeParse(entry);
        if (r.success) actions.push(r.data);
        else pushIssues(errors, `${key}[${i}]`, r.error);
      });
      out[key] = actions;
    }
  }
  return out;
}

function reminderErrors(
  entry: {
    reminder?: boolean | undefined;
    reminder_template?: string | undefined;
    reminder_channel?: string | undefined;
  },
  path: string,
  errors: FieldError[],
): void {
  if (entry.reminder !== true) return;
  if (!entry.reminder_template)
    errors.push({ path: `${path}.reminder_template`, message: 'required when reminder is true' });
  if (!entry.reminder_channel)
    errors.push({ path: `${path}.reminder_channel`, message: 'required when reminder is true' });
}

interface EntryInput {
  readonly date?: IsoDate | undefined;
  readonly value?: string | undefined;
  readonly reminder?: boolean | undefined;
  readonly reminder_template?: string | undefined;
  readonly reminder_channel?: 'whatsapp' | 'email' | undefined;
}

/** Callers check that date and value are present. */
function toEntry(entry: EntryInput, id: string): FixedEntry {
  return {
    id,
    date: entry.date!,
    value: entry.value!,
    reminder: entry.reminder ?? false,
    reminder_template: entry.reminder ? (entry.reminder_template ?? null) : null,
    reminder_channel: entry.reminder ? (entry.reminder_channel ?? null) : null,
  };
}

/** Seed 002's object → the stored condition, with ids for fixed entries. */
function readCondition(
  input: z.infer<typeof conditionSchema>,
  key: string,
  rules: ChargeRules,
  errors: FieldError[],
): ChargeCondition | null {
  const before = errors.length;
  if (input.condition_type === 'automated') {
    for (const f of ['type', 'value', 'frequency', 'limit'] as const) {
      if (input[f] === undefined)
        errors.push({ path: `${key}.${f}`, message: 'required when condition_type is automated' });
    }
    if (input.type === 'percentage' && input.value !== undefined && Number(input.value) > 1) {
      errors.push({ path: `${key}.value`, message: 'a percentage is a fraction of at most 1 (0.05 = 5 %)' });
    }
    if (errors.length > before) return null;
    return {
      condition_type: 'automated',
      type: input.type!,
      value: input.value!,
      frequency: input.frequency!,
      limit: input.limit!,
    };
  }
  if (!input.fixed || input.fixed.length === 0) {
    errors.push({
      path: `${key}.fixed`,
      message: 'required (at least one { date, value }) when condition_type is fixed',
    });
    return null;
  }
  input.fixed.forEach((e, i) => reminderErrors(e, `${key}.fixed[${i}]`, errors));
  if (errors.length > before) return null;
  return { condition_type: 'fixed', fixed: input.fixed.map((e) => toEntry(e, rules.newId())) };
}

/** Seed 004's actions on fixed entries, in order, all or nothing. */
function applyActions(
  current: ChargeCondition | null,
  actions: readonly z.infer<typeof entryActionSchema>[],
  key: string,
  rules: ChargeRules,
  errors: FieldError[],
): ChargeCondition | null {
  if (current && current.condition_type === 'automated') {
    errors.push({
      path: key,
      message: 'actions apply to fixed entries; this charge has an automated policy',
    });
    return current;
  }
  let entries: FixedEntry[] = current ? [...current.fixed] : [];
  const before = errors.length;
  actions.forEach((a, i) => {
    const path = `${key}[${i}]`;
    reminderErrors(a, path, errors);
    if (a.action === 'add') {
      if (a.date === undefined) errors.push({ path: `${path}.date`, message: 'required when action is add' });
      if (a.value === undefined)
        errors.push({ path: `${path}.value`, message: 'required when action is add' });
      if (a.date !== undefined && a.value !== undefined) entries.push(toEntry(a, rules.newId()));
      return;
    }
    if (!a.id) {
      errors.push({ path: `${path}.id`, message: `required when action is ${a.action}` });
      return;
    }
    const at = entries.findIndex((e) => e.id === a.id);
    if (at < 0) {
      errors.push({ path: `${path}.id`, message: `no entry with id ${a.id}` });
      return;
    }
    if (a.action === 'delete') {
      entries = entries.filter((e) => e.id !== a.id);
      return;
    }
    const old = entries[at]!;
    entries[at] = {
      ...old,
      date: a.date ?? old.date,
      value: a.value ?? old.value,
      ...(a.reminder === undefined
        ? {}
        : {
            reminder: a.reminder,
            reminder_template: a.reminder ? (a.reminder_template ?? null) : null,
            reminder_channel: a.reminder ? (a.reminder_channel ?? null) : null,
          }),
    };
  });
  if (errors.length > before) return current;
  return entries.length === 0 ? null : { condition_type: 'fixed', fixed: entries };
}

/** CC, CE and NIT are Colombian numbers (digits, NIT check digit verified when given); others are codes. */
export function normalizePayerId(type: string, number: string): string | null {
  if (type === 'CC' || type === 'CE' || type === 'NIT') {
    const r = normalizeIdNumber(number);
    return r.ok ? r.idNumber : null;
  }
  const compact = number.replace(/[\s.-]/g, '').toUpperCase();
  return /^[A-Z0-9]{3,20}$/.test(compact) ? compact : null;
}

const ACTIVE: readonly ChargeStatus[] = ['pending', 'scheduled', 'unlimit'];

function transitionAllowed(from: ChargeStatus, to: ChargeStatus): boolean {
  if (from === to) return true;
  if (from === 'created')
    return to === 'pending' || to === 'scheduled' || to === 'unlimit' || to === 'cancelled';
  if (from === 'scheduled') return to === 'pending' || to === 'cancelled';
  if (ACTIVE.includes(from)) return to === 'cancelled';
  return false;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * The cross-field rules, on the merged result (create: defaults + body; update: stored + body).
 * Adds errors; returns the final state when the pieces it needs are readable.
 */
function finish(
  parsed: Parsed,
  base: ChargeState | null,
  rules: ChargeRules,
  errors: FieldError[],
  changed: Set<string>,
): ChargeState | null {
  const d0 = base?.details;
  // Currency and amount.
  let currency: Currency | null = base?.currency ?? null;
  if (typeof parsed.currency === 'string') {
    const c = parsed.currency;
    if (!isCurrency(c) || !rules.currencies.includes(c)) {
      errors.push({
        path: 'currency',
        message: `not accepted by this merchant (${rules.currencies.join(', ')})`,
      });
      currency = null;
    } else currency = c;
  }
  let amount: bigint | null = base?.amount ?? null;
  if (typeof parsed.amount === 'string' && currency) {
    const a = toMinor(parsed.amount, currency);
    if (a === null || a <= 0n) {
      errors.push({
        path: 'amount',
        message: 'must be greater than 0 in the currency precision (at most 15 digits)',
      });
      amount = null;
    } else amount = a;
  } else if (currency && base && currency !== base.currency && parsed.amount === undefined) {
    // A currency change re-reads nothing: the stored amount is in minor units of the old currency.
    errors.push({ path: 'amount', message: 'required when the currency changes' });
  }
  let expectedAmount = d0?.expected_amount ?? null;
  if (typeof parsed.expected_amount === 'string' && currency) {
    const e = toMinor(parsed.expected_amount, currency);
    if (e === null) errors.push({ path: 'expected_amount', message: 'a positive number' });
    else expectedAmount = parsed.expected_amount;
  }

  const status = (parsed.status as ChargeStatus | undefined) ?? base?.status ?? 'pending';
  if (base && !transitionAllowed(base.status, status)) {
    errors.push({ path: 'status', message: `cannot move from ${base.status} to ${status}` });
  }

  const references = {
    ...(d0?.references ?? Object.fromEntries(REFERENCE_KEYS.map((k) => [k, null]))),
  } as Record<ReferenceKey, string | null>;
  for (const k of REFERENCE_KEYS) if (k in parsed) references[k] = str(parsed[k]);

  // Payer: fields merge; the id trio is all or none.
  const p = (parsed.payer ?? {}) as Partial<Record<keyof ChargePayer, string>>;
  const payerBase = d0?.payer ?? EMPTY_PAYER;
  let payer: ChargePayer = {
    phone: p.phone ?? payerBase.phone,
    email: p.email ?? payerBase.email,
    user_id_type: p.user_id_type ?? payerBase.user_id_type,
    user_id_number: p.user_id_number ?? payerBase.user_id_number,
    first_name: p.first_name ?? payerBase.first_name,
  };
  const trio = ['user_id_type', 'user_id_number', 'first_name'] as const;
  const present = trio.filter((k) => payer[k] !== null);
  if (present.length > 0 && present.length < 3) {
    for (const k of trio) {
      if (payer[k] === null)
        errors.push({
          path: `payer.${k}`,
          message: 'user_id_type, user_id_number and first_name go together',
        });
    }
  } else if (present.length === 3 && p.user_id_number !== undefined) {
    const normal = normalizePayerId(payer.user_id_type!, payer.user_id_number!);
    if (normal === null) {
      errors.push({
        path: 'payer.user_id_number',
        message:
          payer.user_id_type === 'NIT'
            ? 'a NIT: 5–15 digits, optionally -D with a valid check digit'
            : 'not a valid number for this id type',
      });
    } else payer = { ...payer, user_id_number: normal };
  }

  const channel = (parsed.channel as ChargeDetails['channel'] | undefined) ?? d0?.channel ?? 'link';
  if (status !== 'created' && status !== 'cancelled') {
    if (channel === 'whatsapp' && !payer.phone)
      errors.push({ path: 'payer.phone', message: 'required when channel is whatsapp' });
    if (channel === 'email' && !payer.email)
      errors.push({ path: 'payer.email', message: 'required when channel is email' });
  }

  const limitDate = (parsed.limit_date as IsoDate | undefined) ?? d0?.limit_date ?? null;
  const reminderDate = (parsed.reminder_date as IsoDate | undefined) ?? d0?.reminder_date ?? null;
  if (status === 'scheduled' && !reminderDate)
    errors.push({ path: 'reminder_date', message: 'required when status is scheduled' });

  // Late fees and incentives.
  const conditions: Record<'late_fees' | 'advance_payment', ChargeCondition | null> = {
    late_fees: d0?.late_fees ?? null,
    advance_payment: d0?.advance_payment ?? null,
  };
  for (const key of ['late_fees', 'advance_payment'] as const) {
    const v = parsed[key];
    if (v === undefined) continue;
    conditions[key] = Array.isArray(v)
      ? applyActions(conditions[key], v as z.infer<typeof entryActionSchema>[], key, rules, errors)
      : readCondition(v as z.infer<typeof conditionSchema>, key, rules, errors);
  }
  for (const key of ['late_fees', 'advance_payment'] as const) {
    if (conditions[key] && !limitDate && !errors.some((e) => e.path === 'limit_date')) {
      errors.push({ path: 'limit_date', message: `required with ${key}` });
    }
  }
  const incentivePolicy = conditions.advance_payment;
  if (incentivePolicy && amount !== null && currency) {
    const reach = incentiveReachesAmount(amount, currency, incentivePolicy as IncentivePolicy);
    if (reach) errors.push({ path: pathText('advance_payment', reach.path), message: reach.message });
  }

  // Invoice and affiliate.
  const inv = parsed.invoice as
    | {
        provider: 'alegra' | 'siigo';
        type: 'link' | 'balance' | 'create';
        id?: string;
        retentions?: number[];
      }
    | undefined;
  if (inv?.retentions && inv.type !== 'create') {
    errors.push({ path: 'invoice.retentions', message: 'only with invoice.type create' });
  }
  const aff = parsed.affiliate as { id_type?: string; id_number: string } | undefined;

  // Process type (seed 004).
  const processType = (parsed.process_type as ProcessType | undefined) ?? d0?.process_type ?? 'digital';
  let ret = d0?.return ?? null;
  let express = d0?.express ?? null;
  let external = d0?.external ?? null;
  let split = d0?.split ?? null;
  if (parsed.process_type !== undefined) {
    ret = (parsed.return as ChargeDetails['return']) ?? null;
    const ex = parsed.express as { method: 'nequi' | 'daviplata' | 'qr'; reference?: string } | undefined;
    express = ex ? { method: ex.method, reference: ex.reference ?? null } : null;
    external = (parsed.external as ChargeDetails['external']) ?? null;
    split = (parsed.split as SplitPart[] | undefined) ?? null;
    if (processType === 'return' && !ret)
      errors.push({ path: 'return', message: 'required when process_type is return' });
    if (processType === 'external' && !external)
      errors.push({ path: 'external.reason', message: 'required when process_type is external' });
    if (processType === 'express') {
      if (!express) errors.push({ path: 'express', message: 'required when process_type is express' });
      else expressErrors(express, 'express', errors);
    }
    if (processType === 'split') {
      if (!split) errors.push({ path: 'split', message: 'required when process_type is split' });
      else {
        split.forEach((part, i) => {
          const path = `split[${i}]`;
          if (part.payment_method === 'return' && !part.return)
            errors.push({ path: `${path}.return`, message: 'required when payment_method is return' });
          if (part.payment_method === 'external' && !part.external)
            errors.push({ path: `${path}.external`, message: 'required when payment_method is external' });
          if (part.payment_method === 'express') {
            if (!part.express)
              errors.push({ path: `${path}.express`, message: 'required when payment_method is express' });
            else
              expressErrors(
                { method: part.express.method, reference: part.express.reference ?? null },
                `${path}.express`,
                errors,
              );
          }
        });
        if (currency && amount !== null) {
          let sum = 0n;
          let readable = true;
          for (const part of split) {
            const a = toMinor(part.amount, currency);
            if (a === null) readable = false;
            else sum += a;
          }
          if (readable && sum !== amount) {
            errors.push({ path: 'split', message: 'the parts must add up to the amount' });
          }
        }
      }
    }
  }

  const required: [ChargeFieldName, unknown][] = [
    ['amount', amount ?? parsed.amount],
    ['currency', currency ?? parsed.currency],
    ['description', parsed.description ?? d0?.description],
    ['merchant_id_number', parsed.merchant_id_number ?? d0?.merchant_id_number],
    ['merchant_phone', parsed.merchant_phone ?? d0?.merchant_phone],
  ];
  for (const [name, v] of required) {
    if (v === undefined || v === null) {
      if (!errors.some((e) => e.path === name)) errors.push({ path: name, message: 'required' });
    }
  }
  if (errors.length > 0 || amount === null || currency === null) return null;

  for (const k of Object.keys(parsed)) changed.add(k);
  const details: ChargeDetails = {
    description: (parsed.description as string | undefined) ?? d0!.description,
    references,
    channel,
    user_notification: (parsed.user_notification as boolean | undefined) ?? d0?.user_notification ?? false,
    expected_amount: expectedAmount,
    expected_date: (parsed.expected_date as IsoDate | undefined) ?? d0?.expected_date ?? null,
    reminder_date: reminderDate,
    limit_date: limitDate,
    merchant_id_number: (parsed.merchant_id_number as string | undefined) ?? d0!.merchant_id_number,
    merchant_phone: (parsed.merchant_phone as string | undefined) ?? d0!.merchant_phone,
    merchant_email: (parsed.merchant_email as string | undefined) ?? d0?.merchant_email ?? null,
    return_url: (parsed.return_url as string | undefined) ?? d0?.return_url ?? null,
    expiration: (parsed.expiration as boolean | undefined) ?? d0?.expiration ?? false,
    attachment: (parsed.attachment as string | undefined) ?? d0?.attachment ?? null,
    comments: (parsed.comments as string | undefined) ?? d0?.comments ?? null,
    payer,
    affiliate: aff ? { id_type: aff.id_type ?? null, id_number: aff.id_number } : (d0?.affiliate ?? null),
    invoice: inv
      ? { provider: inv.provider, type: inv.type, id: inv.id ?? null, retentions: inv.retentions ?? null }
      : (d0?.invoice ?? null),
    late_fees: conditions.late_fees,
    advance_payment: conditions.advance_payment,
    process_type: processType,
    state: processState(processType, ret),
    return: ret,
    express,
    external,
    split,
  };
  return { status, currency, amount, details };
}

function expressErrors(
  express: { method: 'nequi' | 'daviplata' | 'qr'; reference: string | null },
  path: string,
  errors: FieldError[],
): void {
  if (express.method === 'qr') return;
  if (!express.reference)
    errors.push({ path: `${path}.reference`, message: `required when method is ${express.method}` });
}

function asObject(raw: unknown): Record<string, unknown> | null {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : null;
}

/** POST /v1/merchant/transaction (seed 002). */
export function readChargeCreate(raw: unknown, rules: ChargeRules): ReadResult {
  const body = asObject(raw);
  if (!body) return { ok: false, fields: [{ path: '', message: 'a JSON object' }] };
  const errors: FieldError[] = [];
  const parsed = readFields(body, 'create', errors);
  if (parsed.status === 'cancelled')
    errors.push({ path: 'status', message: 'one of created, pending, scheduled, unlimit' });
  const changed = new Set<string>();
  const value = finish(parsed, null, rules, errors, changed);
  if (errors.length > 0 || !value) return { ok: false, fields: errors };
  return { ok: true, value, changed };
}

/** PATCH /v1/merchant/transaction/{external_reference} (seed 004): given fields replace stored ones. */
export function readChargeUpdate(raw: unknown, current: ChargeState, rules: ChargeRules): ReadResult {
  const body = asObject(raw);
  if (!body) return { ok: false, fields: [{ path: '', message: 'a JSON object' }] };
  const errors: FieldError[] = [];
  const parsed = readFields(body, 'update', errors);
  const changed = new Set<string>();
  const value = finish(parsed, current, rules, errors, changed);
  if (errors.length > 0 || !value) return { ok: false, fields: errors };
  return { ok: true, value, changed };
}

export function isChargeStatus(v: string): v is ChargeStatus {
  return (CHARGE_STATUSES as readonly string[]).includes(v);
}
