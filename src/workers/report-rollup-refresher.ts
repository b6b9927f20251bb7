import type { AppContext } from '../app/app-context.js';
import { refreshRollups } from '../app/reports/rollups/refresh-rollups.js';

export interface RollupRefresherLogger {
  info?(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RollupRefresher {
  /** Stops the loop after the pass in flight. */
  stop(): Promise<void>;
}

/** Between passes; a report also refreshes what is left before it reads. */
export const ROLLUP_REFRESH_INTERVAL_MS = 2_000;
/** Leads per pass, so a backlog (an import, the first start after an upgrade) is worked in slices that leave room to requests. */
const PASS_LEADS = 5_000;

/**
 * Keeps the report rollups close to the raw records in the background, so a report rarely has
 * anything to refresh before it reads them. Safe in several processes (see refreshRollups).
 */
export function startRollupRefresher(ctx: AppContext, options: { intervalMs?: number; logger?: RollupRefresherLogger } = {}): RollupRefresher {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      let next = options.intervalMs ?? ROLLUP_REFRESH_INTERVAL_MS;
      running = refreshRollups(ctx, { maxLeads: PASS_LEADS })
        .then((outcome) => {
          if (outcome.left > 0) {
            options.logger?.info?.(outcome, 'report rollups catching up');
            next = 0;
          }
        })
        .catch((error: unknown) => options.logger?.error({ err: error }, 'report rollup refresh failed; trying again next time'))
        .finally(() => schedule(next));
    }, delay);
  };
  schedule(options.intervalMs ?? ROLLUP_REFRESH_INTERVAL_MS);

  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}
