import { describe, expect, test, vi } from 'vitest';

import { queryOrderByReference } from '../../../../bff/payu/queries-client';
import {
  API_KEY,
  API_LOGIN,
  form,
  MERCHANT_ID,
  postForm,
  receiver,
  startSimulator,
  registerSimulatorHarness,
} from './support';

registerSimulatorHarness();

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
