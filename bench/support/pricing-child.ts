import { calendarDateIn } from '../../shared/dates';
import { readErpPayload } from '../../shared/erp/read-payload';
import { priceItem, type PricingContext } from '../../shared/pricing/price-item';
import { onParentMessage, sendToParent } from './children';
import { profileInProcess } from './profile';
import { recaudaPayload } from './erp-payload';

/**
 * Row 2 in a process of its own, started with --expose-gc: a collection before every run keeps one run's
 * garbage out of the next run's time. Per run, in this order and back to back on the same bytes:
 * JSON.parse(text) → readErpPayload (validate + dedupe) → priceItem for every item.
 */
const ID = '900373923';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

onParentMessage(async (m) => {
  if (m.type === 'stop') process.exit(0);
  if (m.type !== 'run') return;
  const { items, runs, warmup, profileFile } = m as unknown as {
    items: number;
    runs: number;
    warmup: number;
    profileFile: string | null;
  };
  const today = calendarDateIn('America/Bogota', new Date());
  const payload = recaudaPayload(
    items,
    {
      idNumber: ID,
      payerName: 'Inversiones Altamira S.A.S.',
      today,
      webhookUrl: 'https://erp.example.co/hooks',
    },
    { duplicateEvery: 50, invalidEvery: 40 },
  );
  const bytes = Buffer.from(JSON.stringify({ payments: payload.payments }));
  // The decoding of the bytes is common to both sides and left out of both.
  const text = bytes.toString('utf8');
  const ctx: PricingContext = {
    today,
    merchantMinimum: 1_000_000n,
    gatewayMinimum: 0n,
    merchantLateFees: null,
    paid: 0n,
    pending: false,
  };
  const parse: number[] = [];
  const read: number[] = [];
  const price: number[] = [];
  let outcome = { items: 0, skipped: 0, duplicates: 0, priced: 0 };
  for (let r = 0; r < warmup + runs; r++) {
    gc();
    const t0 = performance.now();
    const body: unknown = JSON.parse(text);
    const t1 = performance.now();
    const result = readErpPayload(body, ID);
    const t2 = performance.now();
    if (!result.ok) throw new Error('the generated payload was refused');
    const priced = result.value.items.map((item) => priceItem(item, ctx));
    const t3 = performance.now();
    if (r >= warmup) {
      parse.push(t1 - t0);
      read.push(t2 - t1);
      price.push(t3 - t2);
    }
    outcome = {
      items: result.value.items.length,
      skipped: result.value.skipped,
      duplicates: result.value.duplicates,
      priced: priced.length,
    };
  }
  if (profileFile) {
    // A separate pass, so the profile holds only validate + dedupe + price (no forced collections).
    const body: unknown = JSON.parse(text);
    await profileInProcess(profileFile, () => {
      for (let r = 0; r < runs; r++) {
        const result = readErpPayload(body, ID);
        if (result.ok) for (const item of result.value.items) priceItem(item, ctx);
      }
    });
  }
  sendToParent({
    type: 'result',
    bytes: bytes.length,
    expected: { valid: payload.valid, duplicates: payload.duplicates, invalid: payload.invalid },
    outcome,
    parse,
    read,
    price,
  });
});
sendToParent({ type: 'ready' });
