import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { parseConfirmation } from '../../../../bff/payu/confirmation';
import { buildPayuForm, type BuildPayuFormInput } from '../../../../bff/payu/form';

import { parseResponsePage } from '../../../../bff/payu/response-page';
import {
  createPayuSimulator,
  type PayuSimulator,
  type PayuSimulatorDeps,
} from '../../../../bff/demo/payu-simulator/simulator';

export const MERCHANT_ID = '508029';
export const ACCOUNT_ID = '512321';
export const API_KEY = '4Vj8eK4rloUd272L48hsrarnUA';
export const API_LOGIN = 'pRRXKOl8ikMmt9u';

interface Server {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on a loopback port chosen by the OS. */
export function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<Server> {
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

export let receiver: ReturnType<typeof createReceiver>;
export let receiverServer: Server;
let sims: { sim: PayuSimulator; server: Server }[] = [];

/**
 * Registers the suite's hooks (call once at the top of a test file): a loopback receiver standing in for
 * the portal's confirmation URL, and every simulator a test started closed after it.
 */
export function registerSimulatorHarness(): void {
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
}

export async function startSimulator(overrides: Partial<PayuSimulatorDeps> = {}) {
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

export function form(checkoutUrl: string, overrides: Partial<BuildPayuFormInput> = {}) {
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

export function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** Submits the form like the browser, then presses the outcome on the simulator's page. */
export async function payInBrowser(checkoutUrl: string, fields: Record<string, string>, outcome: string) {
  const pageRes = await postForm(checkoutUrl, fields);
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  expect(action).toBeDefined();
  const choiceUrl = new URL(action ?? '', checkoutUrl).toString();
  const res = await postForm(choiceUrl, { outcome });
  return { res, choiceUrl };
}

export function responsePage(location: string) {
  const url = new URL(location);
  const parsed = parseResponsePage(url.searchParams);
  if (!parsed.ok) throw new Error(parsed.issues.join(', '));
  return { url, page: parsed.value };
}

export function confirmation(fields: Record<string, string>) {
  const parsed = parseConfirmation(fields);
  if (!parsed.ok) throw new Error(parsed.issues.join(', '));
  return parsed.value;
}
