import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { isColombianHoliday } from '../../../shared/calendar/colombian-holidays';
import { createMoneyBackSimulator, type OrderInfo } from '../../../bff/demo/payu-money-back/simulator';

export const SIM_CREDS = { apiKey: 'sim-key', apiLogin: 'sim-login', publicKey: 'sim-public' } as const;

/** The PayU money-back simulator on a real loopback port, with a settable clock and captured webhooks. */
export async function startMoneyBackSim(start = new Date('2026-12-01T14:00:00Z')) {
  let now = start;
  const orders = new Map<string, OrderInfo>();
  const delivered: { url: string; body: Record<string, unknown> }[] = [];
  const sim = createMoneyBackSimulator({
    ...SIM_CREDS,
    now: () => now,
    isHoliday: isColombianHoliday,
    findOrder: (id) => orders.get(id) ?? null,
    deliver: async (url, body) => {
      delivered.push({ url, body: JSON.parse(body) as Record<string, unknown> });
    },
  });
  const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    sim,
    orders,
    delivered,
    baseUrl: `http://127.0.0.1:${port}`,
    now: () => now,
    setNow(d: Date) {
      now = d;
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
