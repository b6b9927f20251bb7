import type { Logger } from 'pino';
import type { AppContext } from '../app/app-context.js';
import type { AppConfig } from '../app/config.js';
import type { LiveFeed } from '../app/notifications/live-feed.js';
import { startOutboxDispatcher } from '../workers/outbox-dispatcher.js';
import { startRollupRefresher } from '../workers/report-rollup-refresher.js';
import { startSlaSweeper } from '../workers/sla-sweeper.js';
import { startSourceHealthChecker } from '../workers/source-health-checker.js';
import type { TelegramRuntime } from '../app/telegram/telegram-setup.js';
import { startTelegramPoller } from '../workers/telegram-poller.js';
import { Bitrix24Inbound } from '../app/connectors/bitrix24/bitrix24-inbound.js';
import { bitrix24Client } from '../app/connectors/bitrix24/bitrix24-client.js';
import { LeadIntake } from '../app/intake/lead-intake.js';
import { startCrmPoller } from '../workers/crm-poller.js';
import { AmocrmInbound } from '../app/connectors/amocrm/amocrm-inbound.js';
import { amocrmClient } from '../app/connectors/amocrm/amocrm-client.js';

export interface RunningWorkers {
  stop(): Promise<void>;
}

/**
 * The background loops (SLA sweeps, source-health checks, the outbox, the Telegram bot's long
 * polling): safe to run in every server process and in separate worker processes at once.
 */
export function startWorkers(ctx: AppContext, config: AppConfig, logger: Logger, liveFeed?: LiveFeed, telegram?: TelegramRuntime | null, crmInbound?: Bitrix24Inbound, amocrmInbound?: AmocrmInbound): RunningWorkers {
  const sweeper = startSlaSweeper(ctx, { intervalMs: config.slaSweepIntervalMs, logger: logger.child({ worker: 'sla-sweeper' }) });
  const sourceHealth = startSourceHealthChecker(ctx, { intervalMs: config.sourceHealthIntervalMs, logger: logger.child({ worker: 'source-health' }) });
  const rollups = startRollupRefresher(ctx, { logger: logger.child({ worker: 'report-rollups' }) });
  const dispatcher = startOutboxDispatcher(ctx, { intervalMs: config.dispatchIntervalMs, logger: logger.child({ worker: 'outbox-dispatcher' }), settings: config, ...(liveFeed ? { liveFeed } : {}) });
  // One process polls at a time (a lease in the database); the others stand by.
  const poller = telegram && config.telegramMode === 'polling' ? startTelegramPoller(ctx, telegram.api, telegram.bot, { logger: logger.child({ worker: 'telegram-poller' }) }) : null;
  // Leads from connected CRMs that no event brought (one process polls a connector at a time).
  const ownIntake = crmInbound && amocrmInbound ? null : new LeadIntake(ctx);
  const crmPoller = startCrmPoller(ctx, crmInbound ?? new Bitrix24Inbound(ctx, ownIntake as LeadIntake, (c) => bitrix24Client(c.endpoint)), {
    logger: logger.child({ worker: 'crm-poller' }),
    amocrm: amocrmInbound ?? new AmocrmInbound(ctx, ownIntake as LeadIntake, (c) => amocrmClient(c.endpoint, c.accessToken ?? '')),
  });
  return {
    async stop() {
      await Promise.all([sweeper.stop(), sourceHealth.stop(), rollups.stop(), dispatcher.stop(), poller?.stop(), crmPoller.stop()]);
      await ownIntake?.close();
    },
  };
}
