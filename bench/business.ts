import { createApp } from '../bff/app';
import { noRateLimit, noopMetrics } from '../bff/app-deps';
import { createLinkSealer } from '../bff/links/link-token';
import { createSilentLogger } from '../bff/observability/logger';
import { createSqliteStore } from '../bff/store/sqlite-store';
import { compareSpreadOrder, spreadAmount, type SpreadItem } from '../shared/business/allocate';
import { benchConfig, BENCH_MERCHANT } from './support/bff';
import { passIf, type BenchContext, type BenchResult } from './support/context';
import { median, ms, summarize } from './support/stats';

/**
 * Business payments (issue 13): spreading one amount over 1,000 items (order + spread, and a refused amount
 * with its nearest lower/upper), and a receipt PDF from the real route: time to its first byte and to its
 * last, in process on SQLite (the PDF work is the same whatever serves it).
 */
export async function business(ctx: BenchContext): Promise<BenchResult> {
  const details: string[] = [];

  // --- Allocation over 1,000 items -------------------------------------------------------------------
  const n = 1_000;
  const raw = Array.from({ length: n }, (_, i) => ({
    ref: `FE-${String((i * 7919) % n).padStart(5, '0')}`,
    limitDate:
      i % 10 === 0
        ? null
        : `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    balance: BigInt(50_000 + ((i * 104_729) % 2_000_000)),
    allowsPartial: i % 3 === 0,
  }));
  const total = raw.reduce((s, r) => s + r.balance, 0n);
  const runs = ctx.quick ? 50 : 500;
  const accepted: number[] = [];
  const refused: number[] = [];
  let checks = 0;
  for (let run = 0; run < runs + 20; run++) {
    // An amount near the end (the whole list walked) that spreads, and one just past "pay all" that does not.
    const t0 = performance.now();
    const items: SpreadItem[] = [...raw].sort(compareSpreadOrder).map((r) => ({
      ref: r.ref,
      balance: r.balance,
      minimum: r.allowsPartial ? 10_000n : r.balance,
      allowsPartial: r.allowsPartial,
    }));
    const ok = spreadAmount(items, total);
    const t1 = performance.now();
    const no = spreadAmount(items, total + 1n);
    const t2 = performance.now();
    if (!ok.ok || ok.allocations.length !== n || no.ok || no.lower !== total)
      throw new Error('allocation bench: wrong answer');
    checks++;
    if (run >= 20) {
      accepted.push(t1 - t0);
      refused.push(t2 - t1);
    }
  }
  const allocP50 = median(accepted);
  const allocP99 = summarize(accepted).p99;
  details.push(
    `allocation over ${n} items (sort + spread of "pay all", ${runs} runs, ${checks} answers checked): median ${ms(allocP50, 3)}, p99 ${ms(allocP99, 3)}; a refused amount with lower/upper: median ${ms(median(refused), 3)}`,
  );

  // --- Receipt PDF --------------------------------------------------------------------------------------
  const config = benchConfig('http://127.0.0.1:9/get-recaudas');
  const store = createSqliteStore(':memory:');
  await store.migrate();
  const app = createApp({
    config,
    merchants: new Map(config.merchants.map((m) => [m.id, m])),
    erp: { fetchPendingPayments: async () => ({ ok: true, body: { payments: [] } }) },
    store,
    clock: { now: () => new Date() },
    logger: createSilentLogger(),
    links: createLinkSealer(config.linkSecret),
    rateLimiter: noRateLimit,
    metrics: noopMetrics,
    onOutboxWritten: () => undefined,
    production: false,
    staticDir: null,
  });
  const token = 'bench_receipt_token_0123456789abcdefghijklm';
  const reference = 'SLD-bench-receipt';
  const lines = [
    {
      code: 'rtefte-servicios',
      label: 'Retención en la fuente 4 %',
      base: 1_000_000n,
      rate: '0.04',
      amount: 40_000n,
    },
    { code: 'reteiva', label: 'ReteIVA 15 %', base: 190_000n, rate: '0.15', amount: 28_500n },
  ];
  await store.createCheckout({
    reference,
    merchantId: BENCH_MERCHANT,
    idempotencyKey: 'bench-receipt',
    requestHash: 'bench',
    currency: 'COP',
    amount: 1_121_500n + 60_000n,
    items: [
      {
        ref: 'FE-1190',
        description: 'Factura FE-1190',
        amount: 1_121_500n,
        metadata: null,
        webhookUrl: null,
        withheld: 68_500n,
        withholdings: lines,
      },
      { ref: 'FE-0301', description: 'Factura FE-0301', amount: 60_000n, metadata: null, webhookUrl: null },
    ],
    action: 'https://example.invalid',
    fields: { buyerFullName: 'Tesorería Inversiones Bench' },
    comment: null,
    deliveryAddress: null,
    now: new Date(),
    holdUntil: new Date(Date.now() + 60_000),
    receiptToken: token,
  });
  await store.applyConfirmation({
    merchantId: BENCH_MERCHANT,
    reference,
    transactionId: 'bench-tx',
    status: 'approved',
    payuReference: '845612378',
    paymentMethod: 'PSE',
    now: new Date(),
    event: () => [],
  });
  const url = `/${BENCH_MERCHANT}/receipts/${token}/receipt.pdf?paper=a4`;
  const pdfRuns = ctx.quick ? 5 : 40;
  const first: number[] = [];
  const last: number[] = [];
  let bytes = 0;
  for (let run = 0; run < pdfRuns + 3; run++) {
    const t0 = performance.now();
    const res = await app.request(url);
    const reader = res.body!.getReader();
    let chunk = await reader.read();
    const t1 = performance.now();
    let size = 0;
    while (!chunk.done) {
      size += chunk.value.byteLength;
      chunk = await reader.read();
    }
    const t2 = performance.now();
    if (res.status !== 200 || size < 1000)
      throw new Error(`receipt bench: status ${res.status}, ${size} bytes`);
    bytes = size;
    if (run >= 3) {
      first.push(t1 - t0);
      last.push(t2 - t0);
    }
  }
  await store.close();
  const firstP50 = median(first);
  const firstP99 = summarize(first).p99;
  details.push(
    `receipt PDF (A4, 2 items, 2 withholdings, QR, fonts embedded; ${bytes} bytes; ${pdfRuns} runs after 3 warm-up): first byte median ${ms(firstP50, 1)}, p99 ${ms(firstP99, 1)}; whole PDF median ${ms(median(last), 1)}, p99 ${ms(summarize(last).p99, 1)}`,
  );

  return {
    rows: [
      {
        name: '7 Allocate one amount over 1,000 items',
        measured: `${ms(allocP50, 2)} median (p99 ${ms(allocP99, 2)})`,
        target: '≤ 5 ms',
        status: passIf(allocP50 <= 5),
      },
      {
        name: '8 Receipt PDF, first byte',
        measured: `${ms(firstP50, 1)} median (p99 ${ms(firstP99, 1)}; whole PDF ${ms(median(last), 0)})`,
        target: '≤ 150 ms',
        status: passIf(firstP50 <= 150),
      },
    ],
    details,
  };
}
