import { createApp } from '../bff/app';
import { benchDeps } from './support/bff';
import { BenchChild } from './support/children';
import { passIf, type BenchContext, type BenchResult } from './support/context';
import { LoadGenerator } from './support/load';
import { int, ms } from './support/stats';

/**
 * Row 3. 1,000 concurrent lookups of one id number → how many calls reach the ERP, which answers after
 * 50 ms. Over HTTP: the real BFF in its own process, the load generator opening 1,000 keep-alive
 * connections first and then sending the 1,000 lookups at once. In process: the same app through
 * app.request, to show single flight apart from how fast 1,000 requests can be accepted.
 */
const FULL_COUNT = 1000;
const ERP_DELAY_MS = 50;
const ID = '900373923';

interface Calls {
  total: number;
  distinctIds: number;
  maxPerId: number;
  at: number[];
}

export async function singleFlight(ctx: BenchContext): Promise<BenchResult> {
  const COUNT = ctx.quick ? 200 : FULL_COUNT;
  const erp = new BenchChild('./server-child.ts', ['erp', '50', String(ERP_DELAY_MS)]);
  const children = [erp];
  const gen = new LoadGenerator();
  try {
    const { port: erpPort } = await erp.waitFor<{ type: 'ready'; port: number }>('ready', 30_000);
    const bff = new BenchChild('./server-child.ts', ['bff', String(erpPort)]);
    children.push(bff);
    const [{ port }] = await Promise.all([
      bff.waitFor<{ type: 'ready'; port: number }>('ready', 30_000),
      gen.ready(),
    ]);
    const calls = async () =>
      (await erp.request<{ type: 'calls'; calls: Calls }>({ type: 'calls' }, 'calls', 5000)).calls;
    const reset = () => erp.request({ type: 'reset' }, 'reset', 5000);

    ctx.log(`single flight: ${COUNT} concurrent lookups of one id over HTTP`);
    await reset();
    const http = await gen.run({
      kind: 'burst',
      count: COUNT,
      warmPath: '/healthz',
      spec: {
        port,
        method: 'POST',
        path: '/api/v1/merchants/bench/lookup',
        body: `{"idNumber":"${ID}"}`,
        fixedId: ID,
      },
    });
    const httpCalls = await calls();

    ctx.log(`single flight: ${COUNT} concurrent lookups of one id in process (app.request)`);
    const { deps, close } = await benchDeps({ erpUrl: `http://127.0.0.1:${erpPort}/get-recaudas` });
    const app = createApp(deps);
    await reset();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: COUNT }, async () => {
        const res = await app.request('/api/v1/merchants/bench/lookup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ idNumber: ID }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const inProcessMs = performance.now() - started;
    const inProcessCalls = await calls();
    await close();
    const inProcessOk = statuses.filter((s) => s === 200).length;

    const allOk = http.ok === COUNT && inProcessOk === COUNT;
    return {
      rows: [
        {
          name: `3 Single flight: ERP calls for ${COUNT.toLocaleString('en-US')} lookups`,
          measured: `${httpCalls.total} over HTTP, ${inProcessCalls.total} in process`,
          target: '1',
          status: passIf(allOk && httpCalls.total === 1 && inProcessCalls.total === 1),
        },
      ],
      details: [
        `HTTP: ${int(http.ok)}/${COUNT} answered 200 in ${ms(http.elapsedMs, 0)} (p50 ${ms(http.latency.p50)}, max ${ms(http.latency.max)}); ERP calls ${httpCalls.total}, started at +${httpCalls.at.join(', +')} ms`,
        `in process: ${inProcessOk}/${COUNT} answered 200 in ${ms(inProcessMs, 0)}; ERP calls ${inProcessCalls.total}`,
        // Before the fix of the merchant config's defaults this said "no answer cache", while the config's
        // default 2 s cache was in force all along; now that default is the client's, and it is stated.
        `the ERP answers after ${ERP_DELAY_MS} ms; single flight merges the calls in flight, the default 2 s answer cache the later ones (a burst accepted over more than 2 s asks again)`,
      ],
    };
  } finally {
    await gen.stop();
    await Promise.all(children.map((c) => c.stop()));
  }
}
