import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseConfirmation, valueMatches, verifyConfirmation } from '../../../bff/payu/confirmation';
import { buildPayuForm, type BuildPayuFormInput } from '../../../bff/payu/form';
import { queryOrderByReference } from '../../../bff/payu/queries-client';
import { parseResponsePage, verifyResponsePage } from '../../../bff/payu/response-page';
import { createPayuSimulator, type PayuSimulator, type PayuSimulatorDeps } from '../../../bff/payu/simulator';

const MERCHANT_ID = '508029';
const ACCOUNT_ID = '512321';
const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';
const API_LOGIN = 'pRRXKOl8ikMmt9u';

interface Server {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on a loopback port chosen by the OS. */
function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<Server> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

/** The portal's side of the confirmation: records every POST and answers the next scripted status. */
function createReceiver() {
  const received: Record<string, string>[] = [];
  let script: number[] = [];
  const app = new Hono().post('/payu/demo/confirmation', async (c) => {
    expect(c.req.header('content-type')).toContain('application/x-www-form-urlencoded');
    const body = await c.req.parseBody();
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    received.push(fields);
    const status = script.shift() ?? 200;
    return new Response(status === 200 ? 'OK' : 'not yet', { status });
  });
  return {
    app,
    received,
    answer(statuses: number[]) {
      script = [...statuses];
    },
    reset() {
      received.length = 0;
      script = [];
    },
  };
}

let receiver: ReturnType<typeof createReceiver>;
let receiverServer: Server;
let sims: { sim: PayuSimulator; server: Server }[] = [];

beforeAll(async () => {
  receiver = createReceiver();
  receiverServer = await listen(receiver.app.fetch);
});
afterAll(async () => {
  await receiverServer.close();
});
afterEach(async () => {
  for (const { sim, server } of sims) {
    sim.close();
    await server.close();
  }
  sims = [];
  receiver.reset();
});

async function startSimulator(overrides: Partial<PayuSimulatorDeps> = {}) {
  const sim = createPayuSimulator({
    basePath: '/payu-sim',
    merchants: (id) =>
      id === MERCHANT_ID ? { apiKey: API_KEY, accountId: ACCOUNT_ID, apiLogin: API_LOGIN } : undefined,
    retryDelaysMs: [10, 10, 10],
    pendingDelayMs: 50,
    ...overrides,
  });
  const server = await listen(sim.app.fetch);
  sims.push({ sim, server });
  return { sim, url: server.url, checkoutUrl: `${server.url}/payu-sim/checkout` };
}

function form(checkoutUrl: string, overrides: Partial<BuildPayuFormInput> = {}) {
  return buildPayuForm({
    payu: { mode: 'simulator', merchantId: MERCHANT_ID, accountId: ACCOUNT_ID, apiKey: API_KEY },
    simulatorUrl: checkoutUrl,
    reference: `SLD-test${Math.random().toString(36).slice(2, 10)}`,
    description: 'Cuota de marzo',
    amount: 20000n,
    currency: 'COP',
    buyer: { email: 'ana@example.co', fullName: 'Ana Pérez', phone: '3001234567' },
    lng: 'es',
    responseUrl: `${receiverServer.url}/payu/demo/response`,
    confirmationUrl: `${receiverServer.url}/payu/demo/confirmation`,
    extra1: 'demo',
    ...overrides,
  });
}

function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** Submits the form like the browser, then presses the outcome on the simulator's page. */
async function payInBrowser(checkoutUrl: string, fields: Record<string, string>, outcome: string) {
  const pageRes = await postForm(checkoutUrl, fields);
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  expect(action).toBeDefined();
  const choiceUrl = new URL(action ?? '', checkoutUrl).toString();
  const res = await postForm(choiceUrl, { outcome });
  return { res, choiceUrl };
}

function responsePage(location: string) {
  const url = new URL(location);
  const parsed = parseResponsePage(url.searchParams);
  if (!parsed.ok) throw new Error(parsed.issues.join(', '));
  return { url, page: parsed.value };
}

function confirmation(fields: Record<string, string>) {
  const parsed = parseConfirmation(fields);
  if (!parsed.ok) throw new Error(parsed.issues.join(', '));
  return parsed.value;
}

describe('checkout page', () => {
  test('a form with a bad signature is refused with 400 "Firma inválida"', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const res = await postForm(checkoutUrl, { ...fields, signature: 'f'.repeat(64) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Firma inválida');
  });

  test('a form whose amount was changed after signing is refused', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const res = await postForm(checkoutUrl, { ...fields, amount: '20000.00' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Firma inválida');
  });

  test('a well-signed form gets an accessible page without script', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields, action } = form(checkoutUrl);
    expect(action).toBe(checkoutUrl);
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toContain('<main>');
    expect(html).not.toMatch(/<script|style=|<style/i);
    expect(html).toContain(fields.referenceCode);
    expect(html).toContain('20000 COP');
    expect(html).toContain(MERCHANT_ID);
    for (const outcome of ['approved', 'declined', 'pending-then-approved', 'expired']) {
      expect(html).toContain(`<label for="outcome-${outcome}">`);
      expect(html).toContain(`id="outcome-${outcome}"`);
    }
    expect(html).toContain('<legend>');
  });

  test('the page follows lng and escapes what the merchant sent', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl, { lng: 'en', description: '<img src=x onerror=alert(1)>' });
    const html = await (await postForm(checkoutUrl, fields)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
  });

  test.each([
    ['tax is missing (PayU would add 19 % VAT)', { tax: undefined }],
    ['taxReturnBase is missing', { taxReturnBase: undefined }],
    ['the account is not the merchant’s', { accountId: '999' }],
    ['the merchant is unknown', { merchantId: '1' }],
    ['the reference has a space', { referenceCode: 'a b' }],
    ['the confirmation URL is not a URL', { confirmationUrl: 'nope' }],
  ])('a form is refused with 400 when %s', async (_name, change) => {
    const { checkoutUrl } = await startSimulator();
    const fields: Record<string, string> = { ...form(checkoutUrl).fields };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<main>');
  });

  test('callback URLs outside the allowed list are refused', async () => {
    const { checkoutUrl } = await startSimulator({
      isAllowedCallbackUrl: (u) => u.hostname === 'pagos.example.co',
    });
    const res = await postForm(checkoutUrl, form(checkoutUrl).fields);
    expect(res.status).toBe(400);
  });

  test('a reference that is already paid cannot be checked out again', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    await sim.pay(fields, 'approved').confirmation;
    const res = await postForm(checkoutUrl, fields);
    expect(res.status).toBe(409);
    expect(() => sim.pay(fields, 'approved')).toThrow(/already_paid/);
  });

  test('an unknown simulator checkout id is a 404 page', async () => {
    const { checkoutUrl } = await startSimulator();
    const res = await postForm(`${checkoutUrl}/nope`, { outcome: 'approved' });
    expect(res.status).toBe(404);
  });
});

describe('paying through the page', () => {
  test('approved: 303 to responseUrl with a valid signature, and a valid confirmation', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const { res } = await payInBrowser(checkoutUrl, fields, 'approved');
    expect(res.status).toBe(303);
    const { url, page } = responsePage(res.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${receiverServer.url}/payu/demo/response`);
    expect(page).toMatchObject({
      merchantId: MERCHANT_ID,
      referenceCode: fields.referenceCode,
      txValue: '20000.00',
      currency: 'COP',
      transactionState: '4',
      status: 'approved',
      lapTransactionState: 'APPROVED',
      lng: 'es',
      buyerEmail: 'ana@example.co',
      extra1: 'demo',
    });
    expect(page.processingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(verifyResponsePage(page, API_KEY, 'SHA256', { strictAlgorithm: true })).toBe(true);

    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf).toMatchObject({
      merchantId: MERCHANT_ID,
      referenceSale: fields.referenceCode,
      value: '20000.00',
      currency: 'COP',
      statePol: '4',
      status: 'approved',
      transactionId: page.transactionId,
      referencePol: page.referencePol,
      extra1: 'demo',
      test: '1',
    });
    expect(conf.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(conf.transactionDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(verifyConfirmation(conf, API_KEY, 'SHA256', { strictAlgorithm: true })).toBe(true);
    expect(valueMatches(conf.value, 20000n, 'COP')).toBe(true);
  });

  test('a finished checkout cannot be paid twice', async () => {
    const { checkoutUrl } = await startSimulator();
    const { res, choiceUrl } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'approved');
    expect(res.status).toBe(303);
    const again = await postForm(choiceUrl, { outcome: 'approved' });
    expect(again.status).toBe(409);
  });

  test('after a decline the payer may retry in the same checkout: a new transaction, then approved', async () => {
    const { checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    const { res, choiceUrl } = await payInBrowser(checkoutUrl, fields, 'declined');
    expect(responsePage(res.headers.get('location') ?? '').page.status).toBe('declined');
    const retry = await postForm(choiceUrl, { outcome: 'approved' });
    expect(retry.status).toBe(303);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
    const [first, second] = receiver.received.map(confirmation);
    expect(first?.status).toBe('declined');
    expect(second?.status).toBe('approved');
    expect(first?.referenceSale).toBe(second?.referenceSale);
    expect(first?.transactionId).not.toBe(second?.transactionId);
  });

  test('an invalid outcome is a 400', async () => {
    const { checkoutUrl } = await startSimulator();
    const { res } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'stolen');
    expect(res.status).toBe(400);
  });
});

describe('programmatic pay()', () => {
  test.each([
    ['declined', '6', '6', 'declined', 'declined'],
    ['expired', '5', '5', 'expired', 'expired'],
    ['error', '104', '6', 'error', 'error'],
  ] as const)(
    '%s: transactionState %s, state_pol %s',
    async (outcome, txState, statePol, pageStatus, confStatus) => {
      const { sim, checkoutUrl } = await startSimulator();
      const { fields } = form(checkoutUrl, { amount: 2550n, currency: 'USD' });
      const payment = sim.pay(fields, outcome);
      const { page } = responsePage(payment.redirectUrl);
      expect(page.transactionState).toBe(txState);
      expect(page.status).toBe(pageStatus);
      expect(page.txValue).toBe('25.50');
      expect(verifyResponsePage(page, API_KEY)).toBe(true);
      await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 1 });
      const conf = confirmation(receiver.received[0] ?? {});
      expect(conf.statePol).toBe(statePol);
      expect(conf.status).toBe(confStatus);
      expect(conf.value).toBe('25.50');
      expect(verifyConfirmation(conf, API_KEY)).toBe(true);
      expect(valueMatches(conf.value, 2550n, 'USD')).toBe(true);
    },
  );

  test('a bad form throws instead of paying', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    expect(() => sim.pay({ ...fields, signature: '0'.repeat(64) }, 'approved')).toThrow(/invalid_signature/);
  });

  test('MD5 forms get MD5 callbacks', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    const base = form(checkoutUrl);
    const md5 = buildPayuForm({
      payu: {
        mode: 'simulator',
        merchantId: MERCHANT_ID,
        accountId: ACCOUNT_ID,
        apiKey: API_KEY,
        algorithm: 'MD5',
      },
      simulatorUrl: checkoutUrl,
      reference: base.fields.referenceCode ?? '',
      description: 'x',
      amount: 15026n,
      currency: 'USD',
      buyer: { email: 'a@b.co', fullName: 'A', phone: '1' },
      lng: 'es',
      responseUrl: base.fields.responseUrl ?? '',
      confirmationUrl: base.fields.confirmationUrl ?? '',
    });
    const payment = sim.pay(md5.fields, 'approved');
    const { page } = responsePage(payment.redirectUrl);
    expect(page.signature).toHaveLength(32);
    expect(verifyResponsePage(page, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
    await payment.confirmation;
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf.sign).toHaveLength(32);
    expect(verifyConfirmation(conf, API_KEY, 'MD5', { strictAlgorithm: true })).toBe(true);
  });
});

describe('confirmation delivery', () => {
  test('retries until it gets a 200: 500, 500, 200 is three attempts', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    receiver.answer([500, 500, 200]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    // Every retry is the same notification.
    expect(new Set(receiver.received.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  test('anything but exactly 200 counts as not delivered', async () => {
    const { sim, checkoutUrl } = await startSimulator();
    receiver.answer([204, 302, 200]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toMatchObject({ delivered: true, attempts: 3 });
  });

  test('gives up after a bounded number of attempts', async () => {
    const { sim, checkoutUrl } = await startSimulator({ retryDelaysMs: [5, 5] });
    receiver.answer([500, 500, 500, 500, 500]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 500, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
  });

  test('an unreachable confirmation URL is retried and reported, never thrown', async () => {
    const down = await listen(() => new Response('x'));
    const deadUrl = `${down.url}/payu/demo/confirmation`;
    await down.close();
    const warnings: string[] = [];
    const { sim, checkoutUrl } = await startSimulator({
      retryDelaysMs: [5],
      logger: { info() {}, warn: (_o, msg) => warnings.push(msg) },
    });
    const payment = sim.pay(form(checkoutUrl, { confirmationUrl: deadUrl }).fields, 'approved');
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: null, attempts: 2 });
    expect(warnings).toContain('payu-sim: confirmation given up');
  });

  test('the default schedule makes at most 9 attempts, as PayU does', async () => {
    let calls = 0;
    const { sim, checkoutUrl } = await startSimulator({
      retryDelaysMs: undefined,
      fetch: async () => {
        calls += 1;
        return new Response('no', { status: 503 });
      },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const payment = sim.pay(form(checkoutUrl).fields, 'approved');
      for (let i = 0; i < 12; i += 1) await vi.advanceTimersByTimeAsync(200_000);
      await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 503, attempts: 9 });
      expect(calls).toBe(9);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('pending, then approved', () => {
  test('redirects with state 7 at once and confirms the approval after the delay', async () => {
    const { sim, checkoutUrl } = await startSimulator({ pendingDelayMs: 150 });
    const { fields } = form(checkoutUrl);
    const payment = sim.pay(fields, 'pending-then-approved');
    const { page } = responsePage(payment.redirectUrl);
    expect(page.transactionState).toBe('7');
    expect(page.status).toBe('pending');
    expect(page.polTransactionState).not.toBe('7');
    expect(verifyResponsePage(page, API_KEY)).toBe(true);
    // Nothing is confirmed while pending (PayU only confirms final states).
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);

    await expect(payment.confirmation).resolves.toEqual({ delivered: true, status: 200, attempts: 1 });
    const conf = confirmation(receiver.received[0] ?? {});
    expect(conf.status).toBe('approved');
    expect(conf.transactionId).toBe(page.transactionId);
    expect(verifyConfirmation(conf, API_KEY)).toBe(true);
  });

  test('through the page as well', async () => {
    const { checkoutUrl } = await startSimulator({ pendingDelayMs: 20 });
    const { res } = await payInBrowser(checkoutUrl, form(checkoutUrl).fields, 'pending-then-approved');
    expect(res.status).toBe(303);
    expect(responsePage(res.headers.get('location') ?? '').page.status).toBe('pending');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    expect(confirmation(receiver.received[0] ?? {}).status).toBe('approved');
  });

  test('close() cancels the pending confirmation and settles its promise', async () => {
    const { sim, checkoutUrl } = await startSimulator({ pendingDelayMs: 60_000 });
    const payment = sim.pay(form(checkoutUrl).fields, 'pending-then-approved');
    sim.close();
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: null, attempts: 0 });
    expect(receiver.received).toHaveLength(0);
    expect(() => sim.pay(form(checkoutUrl).fields, 'approved')).toThrow(/closed/);
  });

  test('close() stops retries in progress', async () => {
    const { sim, checkoutUrl } = await startSimulator({ retryDelaysMs: [60_000] });
    receiver.answer([500]);
    const payment = sim.pay(form(checkoutUrl).fields, 'approved');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    sim.close();
    await expect(payment.confirmation).resolves.toEqual({ delivered: false, status: 500, attempts: 1 });
  });
});

describe('Queries API', () => {
  async function query(url: string, reference: string, apiKey = API_KEY) {
    return queryOrderByReference({
      mode: 'simulator',
      simulatorUrl: `${url}/payu-sim/reports-api/4.0/service.cgi`,
      apiLogin: API_LOGIN,
      apiKey,
      reference,
      fetch,
      timeoutMs: 5_000,
    });
  }

  test('reports each reference it has seen in PayU’s shape', async () => {
    const { sim, url, checkoutUrl } = await startSimulator({ pendingDelayMs: 60_000 });
    const approved = form(checkoutUrl);
    const declined = form(checkoutUrl);
    const pending = form(checkoutUrl);
    const expired = form(checkoutUrl);
    const approvedPayment = sim.pay(approved.fields, 'approved');
    sim.pay(declined.fields, 'declined');
    sim.pay(pending.fields, 'pending-then-approved');
    sim.pay(expired.fields, 'expired');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3));

    await expect(query(url, approved.fields.referenceCode ?? '')).resolves.toEqual({
      ok: true,
      status: 'approved',
      orderId: approvedPayment.orderId,
      transactionId: approvedPayment.transactionId,
    });
    await expect(query(url, declined.fields.referenceCode ?? '')).resolves.toMatchObject({
      status: 'declined',
    });
    await expect(query(url, pending.fields.referenceCode ?? '')).resolves.toMatchObject({
      status: 'pending',
    });
    await expect(query(url, expired.fields.referenceCode ?? '')).resolves.toMatchObject({
      status: 'expired',
    });
    await expect(query(url, 'SLD-never-seen')).resolves.toMatchObject({ ok: true, status: 'not_found' });
  });

  test('a checkout opened but not paid is a pending order; a retry after a decline is approved', async () => {
    const { sim, url, checkoutUrl } = await startSimulator();
    const opened = form(checkoutUrl);
    expect((await postForm(checkoutUrl, opened.fields)).status).toBe(200);
    await expect(query(url, opened.fields.referenceCode ?? '')).resolves.toMatchObject({ status: 'pending' });

    const retried = form(checkoutUrl);
    sim.pay(retried.fields, 'declined');
    sim.pay(retried.fields, 'approved');
    await expect(query(url, retried.fields.referenceCode ?? '')).resolves.toMatchObject({
      status: 'approved',
    });
  });

  test('the raw answer has PayU’s shape', async () => {
    const { sim, url, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    sim.pay(fields, 'approved');
    const res = await fetch(`${url}/payu-sim/reports-api/4.0/service.cgi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify({
        test: false,
        language: 'en',
        command: 'ORDER_DETAIL_BY_REFERENCE_CODE',
        merchant: { apiLogin: API_LOGIN, apiKey: API_KEY },
        details: { referenceCode: fields.referenceCode },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      code: string;
      result: {
        payload: {
          referenceCode: string;
          status: string;
          transactions: { transactionResponse: { state: string } }[];
        }[];
      };
    };
    expect(body.code).toBe('SUCCESS');
    expect(body.result.payload).toHaveLength(1);
    expect(body.result.payload[0]?.referenceCode).toBe(fields.referenceCode);
    expect(body.result.payload[0]?.status).toBe('CAPTURED');
    expect(body.result.payload[0]?.transactions[0]?.transactionResponse.state).toBe('APPROVED');
  });

  test('refuses wrong credentials', async () => {
    const { sim, url, checkoutUrl } = await startSimulator();
    const { fields } = form(checkoutUrl);
    sim.pay(fields, 'approved');
    await expect(query(url, fields.referenceCode ?? '', 'wrong-key')).resolves.toEqual({
      ok: false,
      error: 'api_error',
      message: 'Invalid credentials',
    });
  });

  test('authenticates through merchantIdByApiLogin before any checkout was seen', async () => {
    const { url } = await startSimulator({
      merchantIdByApiLogin: (login) => (login === API_LOGIN ? MERCHANT_ID : undefined),
    });
    await expect(query(url, 'SLD-nothing')).resolves.toMatchObject({ ok: true, status: 'not_found' });
  });

  test('answers XML, as PayU does, without Accept: application/json', async () => {
    const { url } = await startSimulator();
    const res = await fetch(`${url}/payu-sim/reports-api/4.0/service.cgi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.headers.get('content-type')).toContain('xml');
  });
});
