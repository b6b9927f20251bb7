import { z } from 'zod';
import { effectivePrefs, USER_CHANNELS, type UserChannel } from '../../core/notifications/channel-preferences.js';
import { findRecipient, updateNotificationPrefs, updateTelegramChat } from '../../store/recipient-queries.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { TOPICS } from './topics.js';

export const preferencesInputSchema = z.strictObject({
  topics: z
    .partialRecord(z.enum(TOPICS), z.array(z.enum(USER_CHANNELS)).max(USER_CHANNELS.length).nullable())
    .describe('Event type → the channels to be told on ([] for none); null returns a topic to the default. Topics not named stay as they are.'),
});
export type PreferencesInput = z.infer<typeof preferencesInputSchema>;

export const telegramInputSchema = z.strictObject({
  chatId: z
    .union([z.string().trim().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'a numeric chat id (as the bot sees it) or an @channel name'), z.number().int().transform(String)])
    .nullable()
    .describe('The chat the bot writes to; null unlinks Telegram'),
});
export type TelegramInput = z.infer<typeof telegramInputSchema>;

export interface PreferencesView {
  /** Every topic with the channels the person is told on. */
  topics: Record<string, UserChannel[]>;
  /** What each topic falls back to without a choice. */
  defaults: Record<string, UserChannel[]>;
  email: string | null;
  telegramChatId: string | null;
}

async function viewOf(ctx: AppContext, userId: string): Promise<PreferencesView> {
  const person = await findRecipient(ctx.store.db, userId);
  if (!person) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'Your user no longer exists');
  return {
    topics: effectivePrefs(TOPICS, person.prefs as Record<string, UserChannel[]> | null),
    defaults: effectivePrefs(TOPICS, null),
    email: person.email,
    telegramChatId: person.telegramChatId,
  };
}

export async function notificationPreferences(ctx: AppContext, user: UserPrincipal): Promise<PreferencesView> {
  return await viewOf(ctx, user.userId);
}

/** Changes the named topics only; the rest keep what the person chose before (or the default). */
export async function changeNotificationPreferences(ctx: AppContext, user: UserPrincipal, input: PreferencesInput): Promise<PreferencesView> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const person = await findRecipient(trx, user.userId);
    if (!person) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'Your user no longer exists');
    const next: Record<string, string[]> = { ...(person.prefs ?? {}) };
    for (const [topic, channels] of Object.entries(input.topics)) {
      if (channels === null) delete next[topic];
      else if (channels !== undefined) next[topic] = [...new Set(channels)];
    }
    const stored = Object.keys(next).length > 0 ? next : null;
    await updateNotificationPrefs(trx, user.userId, stored, ctx.now().toISOString());
    await recordAudit(ctx, trx, user, [{ action: 'notification_preferences.change', entity: 'user', entityId: user.userId, before: person.prefs, after: stored }]);
  });
  return await viewOf(ctx, user.userId);
}

export async function linkTelegram(ctx: AppContext, user: UserPrincipal, input: TelegramInput): Promise<PreferencesView> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const person = await findRecipient(trx, user.userId);
    if (!person) throw new LeadRouterError('LR_ERR_NOT_FOUND', 'Your user no longer exists');
    await updateTelegramChat(trx, user.userId, input.chatId, ctx.now().toISOString());
    await recordAudit(ctx, trx, user, [{ action: input.chatId ? 'telegram.link' : 'telegram.unlink', entity: 'user', entityId: user.userId, before: { telegramChatId: person.telegramChatId }, after: { telegramChatId: input.chatId } }]);
  });
  return await viewOf(ctx, user.userId);
}
