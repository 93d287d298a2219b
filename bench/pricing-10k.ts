import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchChild } from './support/children';
import { passIf, type BenchContext, type BenchResult } from './support/context';
import { hotSpots } from './support/profile';
import { int, median, ms } from './support/stats';

/**
 * Row 2. Validate + dedupe + price a 10,000-item ERP payload (with duplicates and broken items), against
 * JSON.parse of the same bytes. Ratio = median(readErpPayload + priceItem of every item) ÷ median(JSON.parse),
 * both timed in the same run on the same text; the end-to-end ratio (parse included) is shown beside it.
 */
export async function pricing10k(ctx: BenchContext): Promise<BenchResult> {
  const items = 10_000;
  const runs = ctx.quick ? 3 : 21;
  const warmup = ctx.quick ? 1 : 5;
  const profDir = ctx.profileDir ? join(ctx.profileDir, 'pricing') : null;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const child = new BenchChild('./pricing-child.ts', [], { execArgv: ['--expose-gc'] });
  const profileFile = profDir ? join(profDir, 'validate-dedupe-price.cpuprofile') : null;
  try {
    await child.waitFor('ready', 30_000);
    ctx.log(`pricing: ${items} items, ${runs} runs after ${warmup} warm-up`);
    const r = await child.request<{
      type: 'result';
      bytes: number;
      expected: { valid: number; duplicates: number; invalid: number };
      outcome: { items: number; skipped: number; duplicates: number; priced: number };
      parse: number[];
      read: number[];
      price: number[];
    }>({ type: 'run', items, runs, warmup, profileFile }, 'result', 120_000);
    await child.stop();
    const { expected, outcome } = r;
    if (
      outcome.items !== expected.valid ||
      outcome.duplicates !== expected.duplicates ||
      outcome.skipped !== expected.invalid
    ) {
      throw new Error(`pricing: read ${JSON.stringify(outcome)}, expected ${JSON.stringify(expected)}`);
    }
    const parse = median(r.parse);
    const read = median(r.read);
    const price = median(r.price);
    const work = median(r.read.map((v, i) => v + (r.price[i] as number)));
    const endToEnd = median(r.parse.map((v, i) => v + (r.read[i] as number) + (r.price[i] as number)));
    const ratio = work / parse;
    const details = [
      `payload ${int(r.bytes)} bytes, ${int(items)} items: ${int(outcome.items)} valid, ${int(outcome.duplicates)} duplicates, ${int(outcome.skipped)} skipped`,
      `medians of ${runs} runs: JSON.parse ${ms(parse)}, readErpPayload ${ms(read)}, priceItem ×${int(outcome.priced)} ${ms(price)}, parse+read+price ${ms(endToEnd)}`,
      `per item: validate+dedupe ${((read * 1000) / items).toFixed(2)} µs, price ${((price * 1000) / outcome.priced).toFixed(2)} µs`,
    ];
    if (profileFile) details.push(...hotSpots(profileFile));
    return {
      rows: [
        {
          name: '2 Validate+dedupe+price 10k ÷ JSON.parse',
          measured: `${ratio.toFixed(2)}× (${ms(work, 1)} vs ${ms(parse, 1)}; with parse ${(endToEnd / parse).toFixed(2)}×)`,
          target: '≤ 2×',
          status: passIf(ratio <= 2),
        },
      ],
      details,
    };
  } finally {
    await child.stop();
  }
}
