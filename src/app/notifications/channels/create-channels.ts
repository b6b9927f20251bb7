import { SendPace, type PaceOptions } from '../../../core/notifications/telegram-pace.js';
import type { AppContext } from '../../app-context.js';
import type { LiveFeed } from '../live-feed.js';
import type { ChannelSet } from './channel.js';
import { crmChannel, type CrmChannelOptions } from './crm-channel.js';
import { emailChannel } from './email-channel.js';
import { inAppChannel } from './in-app-channel.js';
import { telegramChannel } from './telegram-channel.js';
import { webhookChannel } from './webhook-channel.js';

/** The deployment's settings for the outside channels (see the README's environment table). */
export interface ChannelSettings {
  smtpUrl: string | undefined;
  smtpFrom: string;
  telegramBotToken: string | undefined;
  telegramApiBaseUrl: string;
  /** The web app's public address (PUBLIC_URL): the «Открыть» button of Telegram messages. */
  publicUrl?: string | undefined;
  /** Telegram's send pace (tests relax it); TELEGRAM_PACE when left out. */
  telegramPace?: PaceOptions;
  /** How CRM connectors pace and back off (tests shorten it). */
  crm?: CrmChannelOptions;
}

export interface OwnedChannels extends ChannelSet {
  close(): void;
}

/** Every channel, built from the configuration; the in-app one tells `liveFeed`. */
export function createChannels(ctx: AppContext, settings: ChannelSettings, liveFeed: LiveFeed): OwnedChannels {
  const email = emailChannel({ smtpUrl: settings.smtpUrl, from: settings.smtpFrom });
  return {
    in_app: inAppChannel(ctx, liveFeed),
    email,
    telegram: telegramChannel({ botToken: settings.telegramBotToken, apiBaseUrl: settings.telegramApiBaseUrl, publicUrl: settings.publicUrl, ...(settings.telegramPace ? { pace: new SendPace(settings.telegramPace) } : {}) }, ctx),
    webhook: webhookChannel(ctx),
    crm: crmChannel(ctx, settings.crm),
    close: () => email.close(),
  };
}
