import type { Kysely, Selectable } from 'kysely';
import { chunkForInsert } from './chunk.js';
import { readJson, writeJson } from './json.js';
import type { Database, NotificationsTable } from './schema.js';

export interface NotificationRecord {
  id: string;
  userId: string;
  topic: string;
  payload: unknown;
  createdAt: string;
  readAt: string | null;
}

function toNotification(r: Selectable<NotificationsTable>): NotificationRecord {
  return { id: r.id, userId: r.user_id, topic: r.topic, payload: readJson<unknown>(r.payload, null), createdAt: r.created_at, readAt: r.read_at };
}

/**
 * Idempotent by id: a delivery retried after its row was written does not show twice. One
 * statement per chunk; returns the ids that were new.
 */
export async function insertNotifications(db: Kysely<Database>, notifications: Array<Omit<NotificationRecord, 'readAt'>>): Promise<Set<string>> {
  const rows = notifications.map((n) => ({ id: n.id, user_id: n.userId, topic: n.topic, payload: writeJson(n.payload), created_at: n.createdAt, read_at: null }));
  const inserted = new Set<string>();
  for (const chunk of chunkForInsert(rows)) {
    const written = await db.insertInto('notifications').values(chunk).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
    for (const r of written) inserted.add(r.id);
  }
  return inserted;
}

/** A person's inbox, newest first; `before` continues after the last row of the previous page. */
export async function listNotifications(db: Kysely<Database>, userId: string, filter: { unreadOnly: boolean; before?: { createdAt: string; id: string }; limit: number }): Promise<NotificationRecord[]> {
  const before = filter.before;
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(filter.unreadOnly, (qb) => qb.where('read_at', 'is', null))
    .$if(before !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('created_at', '<', before!.createdAt), eb.and([eb('created_at', '=', before!.createdAt), eb('id', '<', before!.id)])])),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toNotification);
}

export async function countUnread(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findNotification(db: Kysely<Database>, userId: string, id: string): Promise<NotificationRecord | null> {
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row ? toNotification(row) : null;
}

export async function markNotificationRead(db: Kysely<Database>, userId: string, id: string, at: string): Promise<void> {
  await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export async function markAllNotificationsRead(db: Kysely<Database>, userId: string, at: string): Promise<number> {
  const result = await db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Unread notifications after the given one, oldest first: what a reconnecting live stream missed. */
export async function unreadAfter(db: Kysely<Database>, userId: string, after: { createdAt: string; id: string }, limit: number): Promise<NotificationRecord[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}

/** Notifications of these users created since `since`, oldest first: how a process sees rows other processes wrote. */
export async function notificationsSince(db: Kysely<Database>, userIds: string[], since: string, limit: number): Promise<NotificationRecord[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', 'in', userIds)
    .where('created_at', '>=', since)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}
