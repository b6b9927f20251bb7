import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function insertLinkCode(db: Kysely<Database>, row: { codeHash: string; userId: string; expiresAt: string; createdAt: string }): Promise<void> {
  await db.insertInto('telegram_link_codes').values({ code_hash: row.codeHash, user_id: row.userId, expires_at: row.expiresAt, used_at: null, created_at: row.createdAt }).execute();
}

/** Forgets the person's earlier unused codes (a new one replaces them) and every spent or stale code. */
export async function dropStaleLinkCodes(db: Kysely<Database>, userId: string, now: string): Promise<void> {
  await db
    .deleteFrom('telegram_link_codes')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('expires_at', '<', now), eb('used_at', 'is not', null)]))
    .execute();
}

/**
 * Spends a code: marks it used if it is unused and not expired; returns its person, or undefined
 * when it is unknown, expired or already spent. Two chats opening the same link: one wins.
 */
export async function spendLinkCode(db: Kysely<Database>, codeHash: string, now: string): Promise<string | undefined> {
  const row = await db
    .updateTable('telegram_link_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** The active person this chat is linked to. */
export async function findUserByChat(db: Kysely<Database>, chatId: string) {
  return await db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'team_id', 'manager_id', 'locale', 'active', 'notification_prefs'])
    .where('telegram_chat_id', '=', chatId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}

/** A chat belongs to one person: linking it to someone else unlinks it from whoever had it. */
export async function unlinkChatFromOthers(db: Kysely<Database>, chatId: string, exceptUserId: string, at: string): Promise<void> {
  await db.updateTable('users').set({ telegram_chat_id: null, updated_at: at }).where('telegram_chat_id', '=', chatId).where('id', '!=', exceptUserId).execute();
}

export async function readUpdateOffset(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('telegram_bot_state').select('update_offset').where('id', '=', 1).executeTakeFirst();
  return Number(row?.update_offset ?? 0);
}

/** Moves the offset forward only: a slower process cannot take it back. */
export async function saveUpdateOffset(db: Kysely<Database>, offset: number): Promise<void> {
  await db.updateTable('telegram_bot_state').set({ update_offset: offset }).where('id', '=', 1).where('update_offset', '<', offset).execute();
}

/**
 * Takes or renews the polling lease: granted when nobody holds it, this process does, or the
 * holder's lease ran out (it died). One conditional UPDATE, so two processes never both win.
 */
export async function takePollLease(db: Kysely<Database>, holder: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('telegram_bot_state')
    .set({ poller: holder, poller_until: until })
    .where('id', '=', 1)
    .where((eb) => eb.or([eb('poller', 'is', null), eb('poller', '=', holder), eb('poller_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releasePollLease(db: Kysely<Database>, holder: string): Promise<void> {
  await db.updateTable('telegram_bot_state').set({ poller: null, poller_until: null }).where('id', '=', 1).where('poller', '=', holder).execute();
}

/** Claims an update for handling; false when it was handled before (a replay). */
export async function claimUpdate(db: Kysely<Database>, updateId: number, at: string): Promise<boolean> {
  const result = await db.insertInto('telegram_updates').values({ update_id: updateId, handled_at: at }).onConflict((oc) => oc.column('update_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Telegram keeps updates 24 hours; what was handled before that cannot come back. */
export async function forgetOldUpdates(db: Kysely<Database>, before: string): Promise<void> {
  await db.deleteFrom('telegram_updates').where('handled_at', '<', before).execute();
}

export interface SentLeadMessage {
  id: string;
  chatId: string;
  messageId: number;
  leadId: string;
  userId: string;
  kind: 'offer' | 'lead';
  text: string;
  createdAt: string;
}

export async function recordSentMessage(db: Kysely<Database>, m: SentLeadMessage): Promise<void> {
  await db
    .insertInto('telegram_messages')
    .values({ id: m.id, chat_id: m.chatId, message_id: m.messageId, lead_id: m.leadId, user_id: m.userId, kind: m.kind, text: m.text, created_at: m.createdAt })
    .onConflict((oc) => oc.columns(['chat_id', 'message_id']).doNothing())
    .execute();
}

type MessageRow = { id: string; chat_id: string; message_id: number | string; lead_id: string; user_id: string; kind: string; text: string; created_at: string };
const toMessage = (r: MessageRow): SentLeadMessage => ({ id: r.id, chatId: r.chat_id, messageId: Number(r.message_id), leadId: r.lead_id, userId: r.user_id, kind: r.kind === 'offer' ? 'offer' : 'lead', text: r.text, createdAt: r.created_at });

export async function findSentMessage(db: Kysely<Database>, chatId: string, messageId: number): Promise<SentLeadMessage | undefined> {
  const row = await db.selectFrom('telegram_messages').selectAll().where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst();
  return row ? toMessage(row) : undefined;
}

/** The pool offers of a lead still showing «Взять», to edit once someone took it. */
export async function takeOpenOffers(db: Kysely<Database>, leadId: string): Promise<SentLeadMessage[]> {
  const rows = await db.selectFrom('telegram_messages').selectAll().where('lead_id', '=', leadId).where('kind', '=', 'offer').execute();
  if (rows.length > 0) await db.updateTable('telegram_messages').set({ kind: 'taken' }).where('lead_id', '=', leadId).where('kind', '=', 'offer').execute();
  return rows.map(toMessage);
}
