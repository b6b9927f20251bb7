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
);
