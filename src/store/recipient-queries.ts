import type { Kysely } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

/** How to reach a person and what they chose to hear about. */
export interface RecipientRecord {
  id: string;
  name: string;
  email: string | null;
  telegramChatId: string | null;
  locale: string;
  active: boolean;
  /** topic → channels, as stored; null means the defaults everywhere. */
  prefs: Record<string, string[]> | null;
}

const RECIPIENT_COLUMNS = ['id', 'name', 'email', 'telegram_chat_id', 'locale', 'active', 'notification_prefs'] as const;

function toRecipient(r: { id: string; name: string; email: string; telegram_chat_id: string | null; locale: string; active: number; notification_prefs: string | null }): RecipientRecord {
  return {
    id: r.id, name: r.name, email: r.email || null, telegramChatId: r.telegram_chat_id, locale: r.locale, active: r.active === 1,
    prefs: readJson<Record<string, string[]> | null>(r.notification_prefs, null),
  };
}

/**
 * The active people an audience names: the users of the given routing profiles, the heads of
 * those profiles' teams, and users named directly. Each person once.
 */
export async function activeRecipients(db: Kysely<Database>, audience: { managers: string[]; headsOf: string[]; users: string[] }): Promise<RecipientRecord[]> {
  const found = new Map<string, RecipientRecord>();
  const add = (rows: Parameters<typeof toRecipient>[0][]): void => {
    for (const r of rows) if (!found.has(r.id)) found.set(r.id, toRecipient(r));
  };
  if (audience.managers.length > 0) {
    add(await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('manager_id', 'in', audience.managers).where('active', '=', 1).execute());
  }
  if (audience.headsOf.length > 0) {
    const teams = db.selectFrom('managers').select('team_id').where('id', 'in', audience.headsOf).where('team_id', 'is not', null);
    add(await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('role', '=', 'head').where('team_id', 'in', teams).where('active', '=', 1).execute());
  }
  if (audience.users.length > 0) {
    add(await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('id', 'in', audience.users).where('active', '=', 1).execute());
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export async function findRecipient(db: Kysely<Database>, userId: string): Promise<RecipientRecord | null> {
  const row = await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('id', '=', userId).executeTakeFirst();
  return row ? toRecipient(row) : null;
}

export async function updateNotificationPrefs(db: Kysely<Database>, userId: string, prefs: Record<string, string[]> | null, at: string): Promise<void> {
  await db.updateTable('users').set({ notification_prefs: prefs === null ? null : writeJson(prefs), updated_at: at }).where('id', '=', userId).execute();
}

export async function updateTelegramChat(db: Kysely<Database>, userId: string, chatId: string | null, at: string): Promise<void> {
  await db.updateTable('users').set({ telegram_chat_id: chatId, updated_at: at }).where('id', '=', userId).execute();
}
