import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../app/app-context.js';
import { TelegramApiError, type BotApi, type TelegramUpdate } from '../app/telegram/bot-api.js';
import type { TelegramBot } from '../app/telegram/telegram-bot.js';
import { forgetOldUpdates, readUpdateOffset, releasePollLease, saveUpdateOffset, takePollLease } from '../store/telegram-queries.js';

export interface TelegramPollerLogger {
  info?(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface TelegramPollerOptions {
  /** getUpdates' long-poll timeout in seconds (25). */
  pollTimeoutSeconds?: number;
  /** How long the lease keeps other processes off polling; renewed before every poll. */
  leaseMs?: number;
  /** How often a process without the lease asks for it again. */
  standbyMs?: number;
  /** Pause after a failed poll before the next one (doubling up to a minute). */
  errorPauseMs?: number;
  logger?: TelegramPollerLogger;
  /** Names this process in the lease (tests run two in one process). */
  holder?: string;
}

export interface TelegramPoller {
  stop(): Promise<void>;
  /** Whether this process holds the polling lease now. */
  readonly polling: boolean;
}

export const ALLOWED_UPDATES = ['message', 'callback_query'];

/**
 * Long polling (getUpdates), for a server behind NAT. The offset is stored in the database after
 * each update, and each update is claimed before it is handled, so a restart does not replay what
 * was handled. Only one process polls at a time: the one holding the lease in telegram_bot_state
 * (a second getUpdates would make Telegram answer 409 to both); the others wait and take over when
 * the holder's lease runs out.
 */
export function startTelegramPoller(ctx: AppContext, api: BotApi, bot: TelegramBot, options: TelegramPollerOptions = {}): TelegramPoller {
  const holder = options.holder ?? `poller-${randomUUID()}`;
  const pollTimeout = options.pollTimeoutSeconds ?? 25;
  const leaseMs = options.leaseMs ?? (pollTimeout + 35) * 1000;
  const standbyMs = options.standbyMs ?? 10_000;
  const stopping = new AbortController();
  let polling = false;
  let lastForget = 0;

  const loop = async (): Promise<void> => {
    let failures = 0;
    let webhookDropped = false;
    while (!stopping.signal.aborted) {
      try {
        const now = ctx.now();
        polling = await takePollLease(ctx.store.db, holder, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
        if (!polling) {
          await sleep(standbyMs, undefined, { signal: stopping.signal });
          continue;
        }
        const offset = await readUpdateOffset(ctx.store.db);
        const updates = await api.call<TelegramUpdate[]>(
          'getUpdates',
          { offset, timeout: pollTimeout, allowed_updates: ALLOWED_UPDATES },
          { timeoutMs: (pollTimeout + 10) * 1000, signal: stopping.signal },
        );
        for (const update of updates) {
          try {
            await bot.handle(update);
          } catch (error) {
            // One update that cannot be handled must not block the ones behind it forever.
            options.logger?.error({ err: error, updateId: update.update_id }, 'a Telegram update could not be handled; skipped');
          }
          await saveUpdateOffset(ctx.store.db, update.update_id + 1);
        }
        failures = 0;
        if (now.getTime() - lastForget > 3_600_000) {
          lastForget = now.getTime();
          await forgetOldUpdates(ctx.store.db, new Date(now.getTime() - 48 * 3_600_000).toISOString());
        }
      } catch (error) {
        if (stopping.signal.aborted) break;
        // A webhook is set (409): polling takes over, as TELEGRAM_MODE=polling asks.
        if (error instanceof TelegramApiError && error.status === 409 && !webhookDropped) {
          webhookDropped = true;
          await api.call('deleteWebhook', {}).catch(() => undefined);
          continue;
        }
        failures += 1;
        const pause = error instanceof TelegramApiError && error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : Math.min(60_000, (options.errorPauseMs ?? 1000) * 2 ** Math.min(failures - 1, 6));
        options.logger?.warn({ err: error, pauseMs: pause }, 'Telegram getUpdates failed; polling again after a pause');
        await sleep(pause, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };
  const running = loop().catch(() => undefined);

  return {
    get polling() {
      return polling;
    },
    async stop() {
      stopping.abort();
      await running;
      if (polling) await releasePollLease(ctx.store.db, holder).catch(() => undefined);
      polling = false;
    },
  };
}
