import type { AppContext } from '../app/app-context.js';
import { BaselineCache } from '../app/source-health/assess-sources.js';
import { checkSourceHealth, type SourceHealthCheckReport } from '../app/source-health/check-source-health.js';

export interface SourceHealthCheckerLogger {
  info?(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SourceHealthChecker {
  /** Stops the loop after the check in flight. */
  stop(): Promise<void>;
  /** Runs one check now (after the one in flight). */
  checkNow(): Promise<SourceHealthCheckReport>;
}

/**
 * The source-health loop, inside the server or a worker process; several may run against one
 * database at once (each incident is opened and resolved under a lock, see checkSourceHealth).
 */
export function startSourceHealthChecker(ctx: AppContext, options: { intervalMs: number; logger?: SourceHealthCheckerLogger }): SourceHealthChecker {
  const cache = new BaselineCache();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const checkNow = (): Promise<SourceHealthCheckReport> => {
    const run = chain.then(() => checkSourceHealth(ctx, cache));
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      checkNow()
        .then((report) => {
          if (report.opened + report.resolved > 0) options.logger?.info?.(report, 'source health check');
        })
        .catch((error: unknown) => options.logger?.error({ err: error }, 'source health check failed; trying again next time'))
        .finally(schedule);
    }, options.intervalMs);
  };
  schedule();

  return {
    checkNow,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await chain;
    },
  };
}
