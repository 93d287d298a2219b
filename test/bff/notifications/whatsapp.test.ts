import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { demoPayload } from '../../../bff/demo/demo-payers';
import { createNotifications, type Notifications } from '../../../bff/notifications/create-notifications';
import {
  createWhatsappSimulator,
  type WhatsappSimulator,
} from '../../../bff/notifications/whatsapp/simulator';
import { hubSignature } from '../../../bff/notifications/whatsapp/webhook-signature';
import { fakeDeps, fakeErp, testConfig, type FakeDeps } from '../../support/fake-deps';

const TOKEN = 'acme-api-token-0123456789';
const ID = '1098765432';
const WA = {
  apiUrl: 'http://wa.test/sim',
  phoneNumberId: '100200300400',
  accessToken: 'wa-access-token',
  appSecret: 'wa-app-secret-0123456789',
  verifyToken: 'verify-me-please',
  templates: {
    statement: { name: 'saldo_statement', language: 'es_CO' },
    receipt: { name: 'saldo_receipt', language: 'es_CO' },
  },
};

let deps: FakeDeps;
let notifications: Notifications;
let simulator: WhatsappSimulator;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  const config = testConfig({ merchant: { whatsapp: WA } });
  const erp = fakeErp({
    [ID]: demoPayload(ID, { today: '2026-11-27', webhookUrl: 'http://127.0.0.1:9/hook' }),
  });
  deps = await fakeDeps({ config, erp: erp.port, now: new Date('2026-11-27T15:00:00Z') });
  simulator = createWhatsappSimulator({
    basePath: '/sim',
    numbers: (id) =>
      id === WA.phoneNumberId
        ? {
            phoneNumberId: id,
            accessToken: WA.accessToken,
            appSecret: WA.appSecret,
            webhookUrl: 'http://portal.test/whatsapp/acme/webhook',
            templates: ['saldo_statement', 'saldo_receipt'],
          }
        : undefined,
    deliver: async (req) => app.request(req),
  });
  notifications = createNotifications({
    config,
    store: deps.store,
    merchants: deps.merchants,
    logger: deps.logger,
    onOutboxWritten: deps.onOutboxWritten,
    // Meta's Graph API, answered by the simulator.
    fetch: async (input, init) => simulator.app.request(new Request(input, init)),
    job: { now: () => deps.clock.now() },
  });
  app = createApp({ ...deps, notifications: notifications.port });
});

afterEach(async () => {
  await simulator.settled();
  await notifications.close();
  await deps.store.close();
});

async function queueStatement(phone: string): Promise<string> {
  const res = await app.request('/api/v1/merchants/acme/statements', {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: ID, channel: 'whatsapp', phone }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { notification: { id: string } }).notification.id;
}

describe('WhatsApp through the Cloud API simulator', () => {
  test('a statement goes as the approved template; sent, delivered and read come back on the signed webhook', async () => {
    const id = await queueStatement('+573112223333');
    await notifications.job.drain();
    expect(simulator.messages).toHaveLength(1);
    const sent = simulator.messages[0]!;
    expect(sent).toMatchObject({ to: '573112223333', template: 'saldo_statement', language: 'es_CO' });
    expect(sent.parameters[0]).toBe('ACME S.A.S.');
    expect(sent.parameters[2]).toBe('2');
    // The button suffix is a statement link's path: it opens the payer's statement in the real app.
    expect(sent.buttonSuffix).toMatch(/^acme\/s\/[A-Za-z0-9_-]+$/);
    const token = sent.buttonSuffix!.split('/').pop()!;
    const lookup = await app.request('/api/v1/merchants/acme/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(lookup.status).toBe(200);
    expect(JSON.stringify(sent)).not.toContain(ID);

    await simulator.settled();
    expect(sent.statuses).toEqual(['sent', 'delivered', 'read']);
    const row = await deps.store.getNotification('acme', id);
    expect(row).toMatchObject({ status: 'read', providerId: sent.id });
  });

  test('an unreachable number is accepted, then fails on the webhook: the merchant gets notification.failed', async () => {
    const id = await queueStatement('573000000000');
    await notifications.job.drain();
    await simulator.settled();
    expect(await deps.store.getNotification('acme', id)).toMatchObject({
      status: 'failed',
      lastError: 'whatsapp_131026: Message undeliverable',
    });
    const events = await deps.store.claimOutbox(new Date('2026-11-27T16:00:00Z'), 10, 60_000);
    expect(events.map((e) => (JSON.parse(e.body) as { type: string }).type)).toEqual(['notification.failed']);
  });

  test('a template Meta does not know is a permanent failure at send time', async () => {
    simulator = createWhatsappSimulator({
      basePath: '/sim',
      numbers: (n) => ({
        phoneNumberId: n,
        accessToken: WA.accessToken,
        appSecret: WA.appSecret,
        webhookUrl: 'http://portal.test/whatsapp/acme/webhook',
        templates: [],
      }),
      deliver: async (req) => app.request(req),
    });
    const id = await queueStatement('573112223333');
    await notifications.job.drain();
    expect(await deps.store.getNotification('acme', id)).toMatchObject({
      status: 'failed',
      lastError: 'whatsapp_404_132001',
    });
  });
});

describe('the status webhook', () => {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ changes: [{ value: { statuses: [{ id: 'wamid.unknown', status: 'read' }] } }] }],
  });

  test('the GET handshake echoes the challenge only with the verify token', async () => {
    const ok = await app.request(
      '/whatsapp/acme/webhook?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444',
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await app.request(
      '/whatsapp/acme/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
    );
    expect(bad.status).toBe(403);
  });

  test('a POST without a valid X-Hub-Signature-256 is refused; a signed one is accepted', async () => {
    const post = (signature?: string) =>
      app.request('/whatsapp/acme/webhook', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body,
      });
    expect((await post()).status).toBe(401);
    expect((await post(hubSignature('another-secret-000000', body))).status).toBe(401);
    expect((await post(hubSignature(WA.appSecret, `${body} `))).status).toBe(401);
    expect((await post(hubSignature(WA.appSecret, body))).status).toBe(200);
  });

  test('statuses never move a message backwards', async () => {
    const id = await queueStatement('573112223333');
    await notifications.job.drain();
    await simulator.settled();
    const wamid = simulator.messages[0]!.id;
    const late = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ changes: [{ value: { statuses: [{ id: wamid, status: 'delivered' }] } }] }],
    });
    const res = await app.request('/whatsapp/acme/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature(WA.appSecret, late),
      },
      body: late,
    });
    expect(res.status).toBe(200);
    expect((await deps.store.getNotification('acme', id))?.status).toBe('read');
  });
});
