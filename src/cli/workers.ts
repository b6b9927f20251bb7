import type { Logger } from 'pino';
import type { AppContext } from '../app/app-context.js';
import type { AppConfig } from '../app/config.js';
import type { LiveFeed } from '../app/notifications/live-feed.js';
import { startOutboxDispatcher } from '../workers/outbox-dispatcher.js';
import { startSlaSweeper } from '../workers/sla-sweeper.js';
import { startSourceHealthChecker } from '../workers/source-health-checker.js';

export interface RunningWorkers {
  stop(): Promise<void>;
}

/** The background loops (SLA sweeps, source-health checks, the outbox): safe to run in every server process and in separate worker processes at once. */
export function startWorkers(ctx: AppContext, config: AppConfig, logger: Logger, liveFeed?: LiveFeed): RunningWorkers {
  const sweeper = startSlaSweeper(ctx, { intervalMs: config.slaSweepIntervalMs, logger: logger.child({ worker: 'sla-sweeper' }) });
  const sourceHealth = startSourceHealthChecker(ctx, { intervalMs: config.sourceHealthIntervalMs, logger: logger.child({ worker: 'source-health' }) });
  const dispatcher = startOutboxDispatcher(ctx, { intervalMs: config.dispatchIntervalMs, logger: logger.child({ worker: 'outbox-dispatcher' }), settings: config, ...(liveFeed ? { liveFeed } : {}) });
  return {
    async stop() {
      await Promise.all([sweeper.stop(), sourceHealth.stop(), dispatcher.stop()]);
    },
  };
}
