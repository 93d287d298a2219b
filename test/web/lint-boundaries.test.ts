// @vitest-environment node
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The boundary rules of eslint.config.js, run on sources written here under real paths of the tree (the
// files need not exist; what they import does), so a rule that stops firing fails this test.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('lint boundaries', () => {
  it('a feature may not import another feature', async () => {
    const ids = await ruleIds(
      'web/features/lookup/example.ts',
      "import { ItemsView } from '../items/items-view';\nexport const view = ItemsView;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('a feature may not import web/app', async () => {
    const ids = await ruleIds(
      'web/features/result/example.ts',
      "import { useFlowPaths } from '../../app/flow-paths';\nexport const paths = useFlowPaths;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('a feature may import its own files, web/lib and shared/', async () => {
    const ids = await ruleIds(
      'web/features/items/example.ts',
      [
        "import { ItemCard } from './item-card';",
        "import { formatMoney } from '../../lib/format-money';",
        "import { parseExactMinor } from '../../../shared/money';",
        'export const all = [ItemCard, formatMoney, parseExactMinor];',
        '',
      ].join('\n'),
    );
    expect(ids).toEqual([]);
  });

  it('providers may not import pages, and the layout may not import pages', async () => {
    const code = "import { LookupPage } from '../pages/lookup-page';\nexport const page = LookupPage;\n";
    expect(await ruleIds('web/app/providers/example.tsx', code)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds('web/app/layout/example.tsx', code)).toContain('import-x/no-restricted-paths');
  });

  it('shared/ imports nothing from bff/ or web/', async () => {
    const fromBff = await ruleIds(
      'shared/example.ts',
      "import { createApp } from '../bff/app';\nexport const app = createApp;\n",
    );
    const fromWeb = await ruleIds(
      'shared/example.ts',
      "import { formatMoney } from '../web/lib/format-money';\nexport const f = formatMoney;\n",
    );
    expect(fromBff).toContain('import-x/no-restricted-paths');
    expect(fromWeb).toContain('import-x/no-restricted-paths');
  });

  it('an import cycle is an error', async () => {
    // merchant-context.tsx imports format-money.ts: format-money importing merchant-context closes a cycle.
    const ids = await ruleIds(
      'web/lib/format-money.ts',
      "import { useMerchant } from './merchant-context';\nexport const use = useMerchant;\n",
    );
    expect(ids).toContain('import-x/no-cycle');
  });
});
