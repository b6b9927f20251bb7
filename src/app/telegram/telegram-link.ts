import { createHash, randomBytes } from 'node:crypto';
import { chosenChannels, type NotificationPrefs } from '../../core/notifications/channel-preferences.js';
import { findRecipient, updateNotificationPrefs, updateTelegramChat } from '../../store/recipient-queries.js';
import { dropStaleLinkCodes, insertLinkCode, spendLinkCode, unlinkChatFromOthers } from '../../store/telegram-queries.js';
import { findUserById } from '../../store/user-queries.js';
import type { Role } from '../access/roles.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';

/** How long a «Подключить Telegram» link works; it works once. */
export const LINK_CODE_TTL_MS = 15 * 60_000;

export interface LinkCodeView {
  /** Opens the bot with `/start <code>`. */
  url: string;
  expiresAt: string;
}

export const hashLinkCode = (code: string): string => createHash('sha256').update(code).digest('hex');

/**
 * A one-time deep link to the bot: the chat that opens it is linked to this person. Only the
 * code's hash is kept; a new link replaces the person's earlier unused ones.
 */
export async function createLinkCode(ctx: AppContext, user: UserPrincipal, botUsername: string | undefined): Promise<LinkCodeView> {
  if (!botUsername) throw new LeadRouterError('LR_ERR_UNPROCESSABLE', 'The Telegram bot is not set up on this server: an admin sets TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_USERNAME (see docs/telegram.md)');
  // 24 characters of A-Z a-z 0-9 _ -: what a /start parameter may carry (at most 64).
  const code = randomBytes(18).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS).toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await dropStaleLinkCodes(trx, user.userId, now.toISOString());
    await insertLinkCode(trx, { codeHash: hashLinkCode(code), userId: user.userId, expiresAt, createdAt: now.toISOString() });
  });
  return { url: `https://t.me/${botUsername}?start=${code}`, expiresAt };
}

export interface LinkedPerson {
  id: string;
  name: string;
  locale: string | null;
}

/**
 * `/start <code>` in a chat: links the chat to the code's person (unlinking it from anyone who
 * had it) and turns Telegram on for their new leads unless they chose otherwise. Undefined when
 * the code is unknown, spent or expired, or its person was deactivated.
 */
export async function linkChatByCode(ctx: AppContext, code: string, chatId: string): Promise<LinkedPerson | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return undefined;
  return await ctx.store.db.transaction().execute(async (trx) => {
    const at = ctx.now().toISOString();
    const userId = await spendLinkCode(trx, hashLinkCode(code), at);
    if (!userId) return undefined;
    const user = await findUserById(trx, userId);
    const person = await findRecipient(trx, userId);
    if (!user || !person || !person.active) return undefined;
    await unlinkChatFromOthers(trx, chatId, userId, at);
    await updateTelegramChat(trx, userId, chatId, at);
    const prefs = (person.prefs ?? {}) as Record<string, string[]>;
    if (prefs['lead.assigned'] === undefined) {
      const next = { ...prefs, 'lead.assigned': [...chosenChannels('lead.assigned', prefs as NotificationPrefs), 'telegram'] };
      await updateNotificationPrefs(trx, userId, next, at);
    }
    const principal: UserPrincipal = { kind: 'user', userId, name: user.name, role: user.role as Role, teamId: user.teamId, managerId: user.managerId };
    await recordAudit(ctx, trx, principal, [{ action: 'telegram.link', entity: 'user', entityId: userId, before: { telegramChatId: person.telegramChatId }, after: { telegramChatId: chatId, via: 'deep_link' } }]);
    return { id: userId, name: user.name, locale: person.locale };
  });
}

/** `/stop` in a linked chat. */
export async function unlinkChat(ctx: AppContext, principal: UserPrincipal, chatId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await updateTelegramChat(trx, principal.userId, null, ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'telegram.unlink', entity: 'user', entityId: principal.userId, before: { telegramChatId: chatId }, after: { telegramChatId: null, via: 'bot' } }]);
  });
}
