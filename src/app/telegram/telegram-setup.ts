import type { AppContext } from '../app-context.js';
import type { AppConfig } from '../config.js';
import { botApi, type BotApi } from './bot-api.js';
import { TelegramBot } from './telegram-bot.js';

export const WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramRuntime {
  api: BotApi;
  bot: TelegramBot;
}

type TelegramConfig = Pick<AppConfig, 'telegramBotToken' | 'telegramApiBaseUrl' | 'telegramMode' | 'publicUrl'>;

/** The bot of this process, or null when there is no token or TELEGRAM_MODE=off. */
export function telegramRuntime(ctx: AppContext, config: TelegramConfig, logger?: { warn(details: object, message: string): void }): TelegramRuntime | null {
  if (!config.telegramBotToken || config.telegramMode === 'off') return null;
  const api = botApi({ botToken: config.telegramBotToken, apiBaseUrl: config.telegramApiBaseUrl });
  return { api, bot: new TelegramBot(ctx, api, { publicUrl: config.publicUrl, ...(logger ? { logger } : {}) }) };
}

/** Webhook mode: tells Telegram where to push updates and the secret to send along. */
export async function registerWebhook(api: BotApi, publicUrl: string, secret: string): Promise<void> {
  await api.call('setWebhook', { url: `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`, secret_token: secret, allowed_updates: ['message', 'callback_query'] });
}
