import { hc } from 'hono/client';
import { afterEach, describe, expect, test } from 'vitest';
import type { AppType } from '../../../bff/app';
import {
  ACME_TOKEN,
  BETA_TOKEN,
  capturingLogger,
  json,
  PAYER_ID,
  PUBLIC_URL,
  testApp,
} from '../http/support/app-fixture';

type App = Awaited<ReturnType<typeof testApp>>;
const opened: App[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function setup(options: Parameters<typeof testApp>[0] = {}) {
  const t = await testApp(options);
  opened.push(t);
  const createLink = (body: unknown, token: string | null = ACME_TOKEN, merchant = 'acme') =>
    t.app.request(
      `/api/v1/merchants/${merchant}/links`,
      json(body, token === null ? {} : { Authorization: `Bearer ${token}` }),
    );
  const lookup = (token: string, merchant = 'acme') =>
    t.app.request(`/api/v1/merchants/${merchant}/lookup`, json({ token }));
  return { ...t, createLink, lookup };
}

const DAY = 24 * 60 * 60 * 1000;

function tokenOf(url: string): string {
  const m = /^https:\/\/pagos\.example\.co\/acme\/s\/([A-Za-z0-9_-]+)$/.exec(url);
  if (!m?.[1]) throw new Error(`not a statement link: ${url}`);
  return m[1];
}

/** Flips one character in the middle of the token (the last one may only carry base64 padding bits). */
function tamper(token: string, at = Math.floor(token.length / 2)): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + c + token.slice(at + 1);
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('POST /api/v1/merchants/:merchantId/links', () => {
  test('creates a sealed link that shows no id number and opens the statement', async () => {
    const { createLink, lookup, clock } = await setup();
    const res = await createLink({ idNumber: '12.345.678' });
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { url: string; expiresAt: string };
    expect(body.url.startsWith(`${PUBLIC_URL}/acme/s/`)).toBe(true);
    expect(body.url).not.toContain(PAYER_ID);
    expect(Buffer.from(tokenOf(body.url), 'base64url').toString('latin1')).not.toContain(PAYER_ID);
    expect(body.expiresAt).toBe(new Date(clock.now().getTime() + 30 * DAY).toISOString());

    const opened = await lookup(tokenOf(body.url));
    expect(opened.status).toBe(200);
    const statement = (await opened.json()) as { items: { ref: string }[]; linkedRef: string | null };
    expect(statement.items.length).toBeGreaterThan(0);
    expect(statement.linkedRef).toBeNull();
  });

  test('a link to one item carries its ref; expiresInDays is honoured up to 120', async () => {
    const { createLink, lookup, clock } = await setup();
    const res = await createLink({ idNumber: PAYER_ID, ref: '1234567', expiresInDays: 120 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { url: string; expiresAt: string };
    expect(body.expiresAt).toBe(new Date(clock.now().getTime() + 120 * DAY).toISOString());
    const statement = (await (await lookup(tokenOf(body.url))).json()) as { linkedRef: string | null };
    expect(statement.linkedRef).toBe('1234567');
  });

  test.each([
    [{ idNumber: PAYER_ID, expiresInDays: 121 }, 'invalid_request'],
    [{ idNumber: PAYER_ID, expiresInDays: 0 }, 'invalid_request'],
    [{ idNumber: PAYER_ID, extra: true }, 'invalid_request'],
    [{ idNumber: '12' }, 'invalid_id_number'],
    [{ idNumber: '900373115-0' }, 'invalid_id_number'], // wrong NIT check digit
    [{}, 'invalid_id_number'],
  ])('%j → 400 %s', async (body, code) => {
    const { createLink } = await setup();
    const res = await createLink(body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe(code);
  });

  test.each([
    ['no Authorization header', null, 'acme'],
    ['a wrong token', 'acme-api-token-0123456780', 'acme'],
    ["another merchant's token", BETA_TOKEN, 'acme'],
    ['an empty Bearer', '', 'acme'],
  ])('%s → 401 unauthorized, before the body is looked at', async (_name, token, merchant) => {
    const { createLink } = await setup();
    const res = await createLink({ nonsense: true }, token, merchant);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('unauthorized');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
  });

  test('Basic credentials are not a Bearer token', async () => {
    const { app } = await setup();
    const res = await app.request(
      '/api/v1/merchants/acme/links',
      json({ idNumber: PAYER_ID }, { Authorization: `Basic ${ACME_TOKEN}` }),
    );
    expect(res.status).toBe(401);
  });

  test('the route is typed for hc<AppType>', async () => {
    const { app } = await setup();
    const client = hc<AppType>(PUBLIC_URL, {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
    });
    const res = await client.api.v1.merchants[':merchantId'].links.$post(
      { param: { merchantId: 'acme' }, json: { idNumber: PAYER_ID, expiresInDays: 10 } },
      { headers: { Authorization: `Bearer ${ACME_TOKEN}` } },
    );
    expect(res.status).toBe(201);
    if (res.status !== 201) return;
    const body = await res.json();
    expect(tokenOf(body.url).length).toBeGreaterThan(40);
  });

  test('an unknown merchant → 404 unknown_merchant', async () => {
    const { createLink } = await setup();
    const res = await createLink({ idNumber: PAYER_ID }, ACME_TOKEN, 'nobody');
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('unknown_merchant');
  });

  test('the id number never reaches the logs, nor does the link', async () => {
    const { logger, lines } = capturingLogger();
    const { createLink, lookup } = await setup({ logger });
    const res = await createLink({ idNumber: PAYER_ID, ref: '1234567' });
    const { url } = (await res.json()) as { url: string };
    await lookup(tokenOf(url));
    await createLink({ idNumber: PAYER_ID }, 'wrong-token-0123456789');
    const logged = lines.join('');
    expect(logged).toContain('statement link created');
    expect(logged).not.toContain(PAYER_ID);
    expect(logged).not.toContain(tokenOf(url));
  });
});

describe('opening statement links', () => {
  test('a tampered token is refused as invalid', async () => {
    const { createLink, lookup } = await setup();
    const { url } = (await (await createLink({ idNumber: PAYER_ID })).json()) as { url: string };
    const token = tokenOf(url);
    for (const at of [0, 5, 20, Math.floor(token.length / 2), token.length - 2]) {
      const res = await lookup(tamper(token, at));
      expect(res.status, `flipped at ${at}`).toBe(400);
      expect(await errorCode(res)).toBe('invalid_token');
    }
    expect((await lookup(token.slice(0, -4))).status).toBe(400);
  });

  test('an expired token → 410 expired_token', async () => {
    const { createLink, lookup, clock } = await setup();
    const { url } = (await (await createLink({ idNumber: PAYER_ID, expiresInDays: 1 })).json()) as {
      url: string;
    };
    clock.advance(DAY - 1000);
    expect((await lookup(tokenOf(url))).status).toBe(200);
    clock.advance(1000);
    const res = await lookup(tokenOf(url));
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe('expired_token');
  });

  test("a token of one merchant is invalid at another's", async () => {
    const { createLink, lookup } = await setup();
    const { url } = (await (await createLink({ idNumber: PAYER_ID })).json()) as { url: string };
    const res = await lookup(tokenOf(url), 'beta');
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('invalid_token');
  });
});
