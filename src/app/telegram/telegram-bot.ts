import { findLead } from '../../store/lead-queries.js';
import { findManagerRow } from '../../store/manager-queries.js';
import { findRecipients } from '../../store/recipient-queries.js';
import { claimUpdate, findSentMessage, findUserByChat, takeOpenOffers } from '../../store/telegram-queries.js';
import type { Role } from '../access/roles.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { isLeadRouterError } from '../errors.js';
import { createTask } from '../lifecycle/tasks.js';
import { claimLead } from '../pool/claim-lead.js';
import type { BotApi, InlineKeyboard, TelegramMessage, TelegramUpdate } from './bot-api.js';
import { botLocale, botTexts, escapeHtml, guestLocale, type BotTexts } from './bot-texts.js';
import { leadUrl, openOnlyKeyboard, ownLeadKeyboard, parseCallbackData } from './lead-message.js';
import { linkChatByCode, unlinkChat } from './telegram-link.js';

/** «Перезвонить позже» sets the call-back task this far ahead. */
export const CALL_BACK_AFTER_MS = 60 * 60_000;

export interface TelegramBotOptions {
  /** PUBLIC_URL: the «Открыть» buttons. */
  publicUrl?: string | undefined;
  logger?: { warn(details: object, message: string): void };
}

type CallbackQuery = NonNullable<TelegramUpdate['callback_query']>;

/**
 * What the bot does with an update, polled or pushed to the webhook: `/start <code>` links the
 * chat, `/stop` unlinks it, and inline buttons act through the same use cases as the web app
 * (claimLead, createTask), as the person the chat is linked to. Every callback query is
 * answered, and its message edited to show the outcome. An update handled once (by any
 * process) is never handled again.
 */
export class TelegramBot {
  constructor(
    private readonly ctx: AppContext,
    private readonly api: BotApi,
    private readonly options: TelegramBotOptions = {},
  ) {}

  /** Handles an update unless it was handled before; false for a replay. */
  async handle(update: TelegramUpdate): Promise<boolean> {
    if (!Number.isSafeInteger(update.update_id)) return false;
    if (!(await claimUpdate(this.ctx.store.db, update.update_id, this.ctx.now().toISOString()))) return false;
    if (update.callback_query) await this.onCallback(update.callback_query);
    else if (update.message?.text) await this.onMessage(update.message);
    return true;
  }

  private async onMessage(message: TelegramMessage): Promise<void> {
    const chatId = String(message.chat.id);
    // Only private chats link a person: a group must not turn into someone's inbox.
    if (message.chat.type !== undefined && message.chat.type !== 'private') return;
    const [command = '', argument] = (message.text ?? '').trim().split(/\s+/, 2);
    const linked = await findUserByChat(this.ctx.store.db, chatId);
    if (command === '/start' && argument) {
      const person = await linkChatByCode(this.ctx, argument, chatId);
      if (person) return await this.reply(chatId, botTexts(botLocale(person.locale)).linked(escapeHtml(person.name)));
      return await this.reply(chatId, botTexts(linked ? botLocale(linked.locale) : guestLocale(message.from?.language_code)).badCode);
    }
    if (linked && linked.active === 1) {
      const t = botTexts(botLocale(linked.locale));
      if (command === '/stop') {
        await unlinkChat(this.ctx, principalOf(linked), chatId);
        return await this.reply(chatId, t.unlinked);
      }
      return await this.reply(chatId, t.welcomeLinked(escapeHtml(linked.name)));
    }
    return await this.reply(chatId, botTexts(guestLocale(message.from?.language_code)).welcomeGuest);
  }

  private async onCallback(query: CallbackQuery): Promise<void> {
    let answer: { text: string; alert?: boolean } = { text: '' };
    try {
      answer = await this.act(query);
    } catch (error) {
      this.options.logger?.warn({ err: error, data: query.data }, 'a Telegram button press failed');
      answer = { text: botTexts(guestLocale(query.from.language_code)).failed(errorText(error)), alert: true };
    } finally {
      // Always answered: else the person's client keeps a spinner on the button.
      await this.api
        .call('answerCallbackQuery', { callback_query_id: query.id, text: answer.text.slice(0, 200), ...(answer.alert ? { show_alert: true } : {}) })
        .catch((error: unknown) => this.options.logger?.warn({ err: error }, 'answerCallbackQuery failed'));
    }
  }

  private async act(query: CallbackQuery): Promise<{ text: string; alert?: boolean }> {
    const chatId = String(query.message?.chat.id ?? query.from.id);
    const person = await findUserByChat(this.ctx.store.db, chatId);
    if (!person || person.active !== 1) return { text: botTexts(guestLocale(query.from.language_code)).notLinked, alert: true };
    const t = botTexts(botLocale(person.locale));
    const press = parseCallbackData(query.data);
    if (!press) return { text: t.stale };
    const principal = principalOf(person);
    const message = query.message;
    const sent = message ? await findSentMessage(this.ctx.store.db, chatId, message.message_id) : undefined;
    const baseText = sent?.text ?? escapeHtml(message?.text ?? '');
    const url = leadUrl(this.options.publicUrl, press.leadId);
    const edit = async (text: string, keyboard: InlineKeyboard): Promise<void> => {
      if (message) await this.edit(chatId, message.message_id, text, keyboard);
    };

    if (press.action === 'take') {
      try {
        await claimLead(this.ctx, principal, press.leadId);
      } catch (error) {
        if (!isLeadRouterError(error)) throw error;
        if (error.code === 'LR_ERR_CONFLICT') {
          const owner = await this.ownerName(press.leadId);
          await edit(`${baseText}\n\n${t.takenByLine(escapeHtml(owner ?? '—'))}`, openOnlyKeyboard(t, url));
          return { text: owner ? t.takenBy(owner) : t.alreadyTaken };
        }
        return { text: t.failed(error.message), alert: true };
      }
      await edit(`${baseText}\n\n${t.youTook}`, ownLeadKeyboard(t, press.leadId, url));
      await this.closeOtherOffers(press.leadId, chatId, person.name);
      return { text: t.youTook };
    }

    const dueAt = new Date(this.ctx.now().getTime() + CALL_BACK_AFTER_MS);
    try {
      await createTask(this.ctx, principal, press.leadId, { title: t.callbackTitle, dueAt: dueAt.toISOString() });
    } catch (error) {
      if (!isLeadRouterError(error)) throw error;
      return { text: t.failed(error.message), alert: true };
    }
    const time = await this.localTime(person.manager_id, dueAt, botLocale(person.locale));
    await edit(`${baseText}\n\n${t.callbackSet(time)}`, ownLeadKeyboard(t, press.leadId, url));
    return { text: t.callbackAnswer(time) };
  }

  /** The lead was taken: the others' offers lose «Взять» and say who took it, each in its reader's language. */
  private async closeOtherOffers(leadId: string, winnerChat: string, winnerName: string): Promise<void> {
    const offers = (await takeOpenOffers(this.ctx.store.db, leadId)).filter((o) => o.chatId !== winnerChat);
    if (offers.length === 0) return;
    const readers = await findRecipients(this.ctx.store.db, [...new Set(offers.map((o) => o.userId))]);
    for (const offer of offers) {
      const t: BotTexts = botTexts(botLocale(readers.get(offer.userId)?.locale));
      await this.edit(offer.chatId, offer.messageId, `${offer.text}\n\n${t.takenByLine(escapeHtml(winnerName))}`, openOnlyKeyboard(t, leadUrl(this.options.publicUrl, leadId)));
    }
  }

  private async ownerName(leadId: string): Promise<string | null> {
    const lead = await findLead(this.ctx.store.db, leadId);
    if (!lead?.ownerId) return null;
    return (await findManagerRow(this.ctx.store.db, lead.ownerId))?.name ?? null;
  }

  private async localTime(managerId: string | null, at: Date, locale: 'ru' | 'en'): Promise<string> {
    const zone = managerId ? (await findManagerRow(this.ctx.store.db, managerId))?.time_zone : undefined;
    try {
      return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ru-RU', { hour: '2-digit', minute: '2-digit', timeZone: zone ?? 'UTC' }).format(at);
    } catch {
      return new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(at);
    }
  }

  private async reply(chatId: string, text: string): Promise<void> {
    await this.api.call('sendMessage', { chat_id: chatId, text, parse_mode: 'HTML' }).catch((error: unknown) => this.options.logger?.warn({ err: error }, 'the bot could not reply'));
  }

  /** Best effort: a message too old or already showing this cannot be edited, and that changes nothing. */
  private async edit(chatId: string, messageId: number, text: string, keyboard: InlineKeyboard): Promise<void> {
    await this.api
      .call('editMessageText', { chat_id: chatId, message_id: messageId, text, parse_mode: 'HTML', reply_markup: { inline_keyboard: keyboard } })
      .catch((error: unknown) => this.options.logger?.warn({ err: error }, 'the bot could not edit a message'));
  }
}

function principalOf(person: { id: string; name: string; role: string; team_id: string | null; manager_id: string | null }): UserPrincipal {
  return { kind: 'user', userId: person.id, name: person.name, role: person.role as Role, teamId: person.team_id, managerId: person.manager_id };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
