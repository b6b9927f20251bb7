import { ChannelNotConfigured, Undeliverable, messageText, type PersonChannel } from './channel.js';

export interface TelegramSettings {
  botToken: string | undefined;
  /** https://api.telegram.org, or a local server speaking the same contract. */
  apiBaseUrl: string;
  timeoutMs?: number;
}

/** Telegram Bot API sendMessage; an HTTP error or `{"ok": false}` is a failed attempt. */
export function telegramChannel(settings: TelegramSettings): PersonChannel {
  const base = settings.apiBaseUrl.replace(/\/+$/, '');
  const notConfigured = settings.botToken ? undefined : 'Telegram is not configured: set TELEGRAM_BOT_TOKEN';
  return {
    notConfigured,
    async send(attempt, person) {
      if (!settings.botToken) throw new ChannelNotConfigured(notConfigured);
      if (!person.telegramChatId) throw new Undeliverable(`User ${person.id} unlinked Telegram`);
      const response = await fetch(`${base}/bot${settings.botToken}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: person.telegramChatId, text: messageText(attempt.message) }),
        signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
      });
      const answer = (await response.json().catch(() => null)) as { ok?: boolean; description?: string } | null;
      if (!response.ok || answer?.ok !== true) {
        throw new Error(`Telegram answered ${response.status}${answer?.description ? `: ${answer.description}` : ''}`);
      }
    },
  };
}
