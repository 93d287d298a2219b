import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../../bff/app';
import { parseConfig } from '../../../bff/config/load-config';
import { createMetrics } from '../../../bff/observability/metrics';
import { rawTestConfig, testApp } from './support/app-fixture';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

async function appWith(metrics: Record<string, unknown> | undefined) {
  const config = parseConfig(rawTestConfig(metrics ? { metrics } : {}));
  const t = await testApp({ config });
  opened.push(t);
  const registry = createMetrics({ outboxBacklog: async () => 0 });
  return createApp({ ...t.deps, metrics: registry, renderMetrics: () => registry.render() });
}

describe('/metrics behind a token (issue 9.10)', () => {
  test.each([
    ['no Authorization', {}],
    ['a wrong token', { Authorization: 'Bearer metrics-token-0123456789abcdeX' }],
    ['the token as Basic', { Authorization: `Basic ${METRICS_TOKEN}` }],
  ])('%s → 401, no metrics', async (_name, headers) => {
    const app = await appWith({ token: METRICS_TOKEN });
    const res = await app.request('/metrics', { headers });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain('saldo_');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  test('the right Bearer token gets the exposition', async () => {
    const app = await appWith({ token: METRICS_TOKEN });
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('saldo_lookups_total');
  });

  test('the config refuses a short token and an unknown shape', () => {
    expect(() => parseConfig(rawTestConfig({ metrics: { token: 'short' } }))).toThrow(/metrics/);
    expect(() => parseConfig(rawTestConfig({ metrics: { public: true } }))).toThrow(/metrics/);
  });
});
