import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app/app-context.js';
import type { Bitrix24Inbound } from '../app/connectors/bitrix24/bitrix24-inbound.js';
import { listCrmConnectors, noteCrmError, releaseCrmPollLeases, savePollMark, takeCrmPollLease, type CrmConnectorRecord } from '../store/crm-connector-queries.js';

export interface CrmPollerLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface CrmPollerOptions {
  /** How often the loop looks for connectors due a poll (5 s); each polls at its own interval. */
  tickMs?: number;
  logger?: CrmPollerLogger;
  /** Names this process in the leases (tests run two in one process). */
  holder?: string;
  /** Polls amoCRM accounts too (their webhooks are not delivered again either). */
  amocrm?: CrmPollSource;
}

/** What polls one connector: Bitrix24Inbound, AmocrmInbound. */
export interface CrmPollSource {
  poll(connector: CrmConnectorRecord): Promise<{ seen: number; created: number }>;
}

export interface CrmPoller {
  /** Polls every active connector that is due now (after the pass in flight). */
  pollNow(options?: { force?: boolean }): Promise<number>;
  stop(): Promise<void>;
}

const due = (c: CrmConnectorRecord, now: number): boolean => c.lastPolledAt === null || Date.parse(c.lastPolledAt) + c.settings.pollIntervalSeconds * 1000 <= now;

/**
 * Asks each connected Bitrix24 (and amoCRM, given `amocrm`) for leads created since the last one
 * seen, at the connector's interval, because the CRM drops an event it could not deliver. One process polls a
 * connector at a time: the one holding its lease (renewed each poll, taken over when it runs
 * out). A failed poll is noted on the connector (admins see it) and tried at the next interval.
 */
export function startCrmPoller(ctx: AppContext, inbound: Bitrix24Inbound | CrmPollSource, options: CrmPollerOptions = {}): CrmPoller {
  const holder = options.holder ?? `crm-poller-${randomUUID()}`;
  const tickMs = options.tickMs ?? 5_000;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const pass = async (force: boolean): Promise<number> => {
    const now = ctx.now();
    let polled = 0;
    for (const connector of await listCrmConnectors(ctx.store.db, { activeOnly: true })) {
      const source = connector.kind === 'bitrix24' ? inbound : connector.kind === 'amocrm' ? options.amocrm : undefined;
      if (!source || (!force && !due(connector, now.getTime()))) continue;
      const leaseMs = Math.max(60_000, connector.settings.pollIntervalSeconds * 2_000);
      if (!(await takeCrmPollLease(ctx.store.db, connector.id, holder, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()))) continue;
      try {
        await source.poll(connector);
        polled += 1;
      } catch (error) {
        options.logger?.warn({ err: error, connector: connector.id }, 'polling the CRM failed; trying again at the next interval');
        const at = ctx.now().toISOString();
        await noteCrmError(ctx.store.db, connector.id, error instanceof Error ? error.message : String(error), at).catch(() => undefined);
        // Not again at every tick: at the next interval.
        await savePollMark(ctx.store.db, connector.id, null, at).catch(() => undefined);
      }
    }
    return polled;
  };

  const pollNow = (o: { force?: boolean } = {}): Promise<number> => {
    const run = chain.then(() => pass(o.force ?? false));
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      pollNow()
        .catch((error: unknown) => options.logger?.error({ err: error }, 'CRM poll pass failed; trying again next time'))
        .finally(schedule);
    }, tickMs);
  };
  schedule();

  return {
    pollNow,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await chain;
      await releaseCrmPollLeases(ctx.store.db, holder).catch(() => undefined);
    },
  };
}
