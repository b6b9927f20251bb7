import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

// The layers import inward only: core ← store ← app ← http / workers / cli.
const NODE_IO = ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'child_process', 'crypto', 'os', 'better-sqlite3', 'pg', 'kysely', 'fastify', 'fastify-*', '@fastify/*', 'pino'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', '.tmp/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', setImmediate: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  layer(['src/core/**'], ['**/store/**', '**/app/**', '**/http/**', '**/workers/**', '**/cli/**', ...NODE_IO], 'src/core is pure: no I/O and no imports from outer layers'),
  layer(['src/store/**'], ['**/app/**', '**/http/**', '**/workers/**', '**/cli/**'], 'src/store may import only src/core'),
  layer(['src/app/**'], ['**/http/**', '**/workers/**', '**/cli/**', 'fastify', '@fastify/*'], 'src/app may import only src/core and src/store'),
  layer(['src/http/**', 'src/workers/**'], ['**/cli/**'], 'http and workers must not import the CLI'),
  { files: ['web/postcss.config.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  {
    files: ['web/src/**'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', EventSource: 'readonly', AudioContext: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', MessageEvent: 'readonly', HTMLDivElement: 'readonly', Response: 'readonly', Request: 'readonly', URLSearchParams: 'readonly', Intl: 'readonly' },
    },
    rules: {
      // The server's domain logic is shared through @core; the rest of the server never reaches the browser.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/store/**', '**/src/app/**', '**/src/http/**', '**/src/workers/**', '**/src/cli/**'], message: 'the web app talks to the server only through web/src/api' }] }],
    },
  },
  {
    // One door to the server: components and hooks call web/src/api, never fetch or EventSource themselves.
    files: ['web/src/**'],
    ignores: ['web/src/api/**'],
    rules: { 'no-restricted-globals': ['error', { name: 'fetch', message: 'call the server through web/src/api (the typed client)' }, { name: 'EventSource', message: 'open streams through web/src/api/live-stream.ts' }] },
  },
);
