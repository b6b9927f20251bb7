import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web app's own import paths, for the tests of its logic under test/web.
  resolve: { alias: { '@core': fileURLToPath(new URL('./src/core', import.meta.url)), '@': fileURLToPath(new URL('./web/src', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/fast-passwords.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Database suites share one embedded PostgreSQL; files run in parallel on separate databases.
    pool: 'forks',
  },
});
