import { performance } from 'node:perf_hooks';
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
/** Leads per pass and per transaction, so a backlog (an import, the first start after an upgrade) is worked in small slices that leave room to requests. */
const PASS_LEADS = 1_000;
const PASS_BATCH = 100;
/** The pause between passes while catching up. */
const CATCH_UP_PAUSE_MS = 100;
/** Above this share of the event loop busy since the last look, the server is serving: reports can wait, leads cannot. */
const BUSY_UTILIZATION = 0.5;
/** ...but never longer than this, so the rollups do not fall behind for good under a steady load. */
const LONGEST_DEFERRAL_MS = 30_000;

/**
 * Keeps the report rollups close to the raw records in the background, so a report rarely has
 * anything to refresh before it reads them. Safe in several processes (see refreshRollups). It
 * stands aside while the server is busy serving (up to 30 s at a time): a report then reads raw
 * rows or refreshes what it needs, but intake keeps its speed.
 */
export function startRollupRefresher(ctx: AppContext, options: { intervalMs?: number; logger?: RollupRefresherLogger } = {}): RollupRefresher {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastLook = performance.eventLoopUtilization();
  let lastPass = Date.now();

  /** Whether requests kept the event loop busy since the last look (a refresh would slow intake down). */
  const serving = (): boolean => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, lastLook).utilization > BUSY_UTILIZATION;
    lastLook = now;
    return busy;
  };

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      let next = options.intervalMs ?? ROLLUP_REFRESH_INTERVAL_MS;
      if (serving() && Date.now() - lastPass < LONGEST_DEFERRAL_MS) {
        schedule(next);
        return;
      }
      lastPass = Date.now();
      running = refreshRollups(ctx, { maxLeads: PASS_LEADS, batch: PASS_BATCH, paced: true })
        .then((outcome) => {
          if (outcome.left > 0) {
            options.logger?.info?.(outcome, 'report rollups catching up');
            next = CATCH_UP_PAUSE_MS;
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
