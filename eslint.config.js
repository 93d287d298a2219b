import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// One zone per feature: web/features/<name> may import web/lib, web/i18n and shared/, never another
// feature or web/app (the app composes features, not the other way round).
const features = readdirSync('web/features', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// The layers of the SPA, each allowed to import only those below it: lib/i18n ← features ← app/providers ←
// app/layout ← app/pages ← app/routes.tsx and main.tsx.
const webZones = [
  ...features.map((name) => ({
    target: `./web/features/${name}`,
    from: ['./web/features', './web/app', './web/main.tsx'],
    except: [`./${name}`],
    message: 'A feature does not import another feature or web/app; compose them in web/app/.',
  })),
  {
    target: ['./web/lib', './web/i18n'],
    from: ['./web/features', './web/app', './web/main.tsx'],
    message: 'web/lib and web/i18n sit below features and the app.',
  },
  {
    target: './web/app/providers',
    from: ['./web/app/layout', './web/app/pages', './web/app/routes.tsx'],
    message: 'Providers do not import layout or pages; inject what they need (see PaymentFlowProvider).',
  },
  {
    target: './web/app/layout',
    from: ['./web/app/pages', './web/app/routes.tsx'],
    message: 'The layout does not import pages; routes.tsx composes them.',
  },
  {
    target: './web/app/pages',
    from: ['./web/app/routes.tsx'],
    message: 'Pages do not import the route table.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-console': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Boundaries and cycles (docs/decisions/0012-eslint-plugin-import-x-boundaries.md).
    files: ['**/*.{ts,tsx,mjs,js}'],
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed as TypeScript too, or no-cycle cannot follow them.
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] })],
    },
    rules: {
      // Type-only imports vanish at build time and cannot form a cycle at run time.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...webZones,
            {
              target: './shared',
              from: ['./bff', './web', './scripts', './bench', './test'],
              message: 'shared/ is pure: it imports nothing from bff/, web/ or the tooling.',
            },
          ],
        },
      ],
    },
  },
  {
    // The layering of docs/architecture: shared/ is pure, web/ sees bff/ only as types.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', '**/bff/**', '**/web/**', 'react', 'hono', 'hono/*'] },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/bff/**'], allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
