// ESLint reads this file's default export (flat config); the rest of Trillium uses named exports.
import { fileURLToPath } from 'node:url';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'public/', 'data/', 'drizzle/', 'coverage/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Named exports only (ADR 0001): the module's surface is what its index.ts names.
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      // Configuration is read in one place (src/kernel/config); everything else is handed a Config.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/kernel/config.' }],
    },
  },
  {
    files: ['src/kernel/config/index.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Loaded by eslint-module-utils with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tool configuration files are read through their default export.
    files: ['*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Module boundaries: the kernel knows no module; a module uses the kernel and other modules'
    // index.ts only; the composition root (app, cli, server, modules.ts) may use everything.
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/modules/*/test/**'],
    plugins: { boundaries },
    settings: {
      // Imports are written with .js extensions (NodeNext); this small resolver finds the .ts files.
      'import/resolver': { [fileURLToPath(new URL('./scripts/eslint-ts-resolver.cjs', import.meta.url))]: {} },
      'boundaries/elements': [
        { type: 'kernel', pattern: 'src/kernel' },
        { type: 'module', pattern: 'src/modules/*', capture: ['moduleName'] },
        { type: 'root', pattern: 'src' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            { from: { element: { type: 'kernel' } }, allow: { to: { element: { type: 'kernel' } } } },
            {
              from: { element: { type: 'module' } },
              allow: [
                { to: { element: { type: 'kernel' } } },
                { dependency: { relationship: { to: 'internal' } } },
                { to: { element: { type: 'module', fileInternalPath: 'index.ts' } } },
              ],
            },
            {
              from: { element: { type: 'root' } },
              allow: [{ to: { element: { type: 'kernel' } } }, { to: { element: { type: 'root' } } }, { to: { element: { type: 'module', fileInternalPath: 'index.ts' } } }],
            },
          ],
        },
      ],
    },
  },
);
