import { setTimeout as sleep } from 'node:timers/promises';
import { SendPace } from '../../../core/notifications/telegram-pace.js';
import { findLead } from '../../../store/lead-queries.js';
import type { RecipientRecord } from '../../../store/recipient-queries.js';
import { recordSentMessage } from '../../../store/telegram-queries.js';
import type { AppContext } from '../../app-context.js';
import { botApi, TelegramApiError, type InlineKeyboard, type TelegramMessage } from '../../telegram/bot-api.js';
import { botLocale, botTexts, escapeHtml } from '../../telegram/bot-texts.js';
import { leadText, leadUrl, offerKeyboard, openOnlyKeyboard, ownLeadKeyboard } from '../../telegram/lead-message.js';
import { ChannelNotConfigured, TryLater, Undeliverable, Unreachable, textFor, type Attempt, type PersonChannel } from './channel.js';

export interface TelegramSettings {
  botToken: string | undefined;
  /** https://api.telegram.org, or a local server speaking the same contract. */
  apiBaseUrl: string;
  /** The web app's public address (PUBLIC_URL), for the «Открыть» button; none without it. */
  publicUrl?: string | undefined;
  timeoutMs?: number;
  /** The process's pace (one per process, shared by its sends); a new one when left out. */
  pace?: SendPace;
}

interface Composed {
  text: string;
  keyboard: InlineKeyboard;
  /** A lead message whose buttons are edited later (a pool offer once someone took it). */
  record: { leadId: string; kind: 'offer' | 'lead' } | null;
}

/**
 * Telegram Bot API sendMessage, in the person's language, with inline buttons on lead messages.
 * Sends are paced per chat and overall (SendPace); a message that must wait longer, or that
 * Telegram answers 429, is handed back to the outbox (TryLater) to go out when it may: never
 * dropped. An HTTP error or `{"ok": false}` is a failed attempt, retried with backoff.
 */
export function telegramChannel(settings: TelegramSettings, ctx?: AppContext): PersonChannel {
  const notConfigured = settings.botToken ? undefined : 'Telegram is not configured: set TELEGRAM_BOT_TOKEN';
  const api = settings.botToken ? botApi({ botToken: settings.botToken, apiBaseUrl: settings.apiBaseUrl, ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}) }) : null;
  const pace = settings.pace ?? new SendPace();
  // The pace runs on the real clock; a delivery's next attempt is set on the application's.
  const later = (inMs: number): Date => new Date((ctx ? ctx.now().getTime() : Date.now()) + Math.max(0, inMs));

  const compose = async (attempt: Attempt, person: RecipientRecord): Promise<Composed | null> => {
    const t = botTexts(botLocale(person.locale));
    const { topic, payload } = attempt.message;
    const leadId = typeof payload.leadId === 'string' ? payload.leadId : null;
    const url = leadId ? leadUrl(settings.publicUrl, leadId) : null;
    const plain: Composed = { text: escapeHtml(textFor(attempt.message, botLocale(person.locale))), keyboard: openOnlyKeyboard(t, url), record: null };
    if (!ctx || !leadId || (topic !== 'lead.assigned' && topic !== 'lead.offered')) return plain;
    const lead = await findLead(ctx.store.db, leadId);
    if (!lead) return plain;
    if (topic === 'lead.offered') {
      // Taken before the offer went out: there is nothing to offer any more.
      if (lead.ownerId !== null || lead.status !== 'pool') return null;
      return { text: leadText(lead, t, 'offer'), keyboard: offerKeyboard(t, lead.id, url), record: { leadId: lead.id, kind: 'offer' } };
    }
    return { text: leadText(lead, t, 'lead'), keyboard: ownLeadKeyboard(t, lead.id, url), record: { leadId: lead.id, kind: 'lead' } };
  };

  return {
    notConfigured,
    async send(attempt, person) {
      if (!api) throw new ChannelNotConfigured(notConfigured);
      const chatId = person.telegramChatId;
      if (!chatId) throw new Undeliverable(`User ${person.id} unlinked Telegram`);
      const message = await compose(attempt, person);
      if (message === null) return;
      const booking = pace.book(chatId, Date.now());
      if (booking.kind === 'later') throw new TryLater(`Telegram: waiting for chat ${chatId}'s turn (about one message a second per chat)`, later(booking.at - Date.now()));
      const wait = booking.at - Date.now();
      if (wait > 0) await sleep(wait);
      let sent: TelegramMessage;
      try {
        sent = await api.call<TelegramMessage>('sendMessage', {
          chat_id: chatId,
          text: message.text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(message.keyboard.length > 0 ? { reply_markup: { inline_keyboard: message.keyboard } } : {}),
        });
      } catch (error) {
        if (error instanceof TelegramApiError && error.retryAfterSeconds !== null) {
          pace.closeChat(chatId, Date.now() + error.retryAfterSeconds * 1000);
          throw new TryLater(`${error.message} (retry after ${error.retryAfterSeconds} s)`, later(error.retryAfterSeconds * 1000));
        }
        // The person blocked the bot or deleted the chat: retrying cannot help.
        if (error instanceof TelegramApiError && error.status === 403) throw new Undeliverable(error.message);
        // No answer at all, or Telegram's side failing: the channel is down, not this message.
        if (!(error instanceof TelegramApiError) || error.status >= 500) throw new Unreachable(error);
        throw error;
      }
      if (ctx && message.record) {
        // The message went out: failing to note it must not send it again; its buttons are then just not edited later.
        await recordSentMessage(ctx.store.db, {
          id: ctx.newId(), chatId, messageId: sent.message_id, leadId: message.record.leadId, userId: person.id, kind: message.record.kind, text: message.text, createdAt: ctx.now().toISOString(),
        }).catch(() => undefined);
      }
    },
  };
}
