import { countUnread, findNotification, listNotifications, markAllNotificationsRead, markNotificationRead, unreadAfter, type NotificationRecord } from '../../store/notification-queries.js';
import type { UserPrincipal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

/** One entry of a person's in-app feed, as the API and the live stream show it. */
export interface NotificationView {
  id: string;
  topic: string;
  text: string;
  leadId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export function toNotificationView(n: NotificationRecord): NotificationView {
  const payload = (typeof n.payload === 'object' && n.payload !== null ? n.payload : {}) as Record<string, unknown>;
  const { text, leadId, ...details } = payload;
  return {
    id: n.id,
    topic: n.topic,
    text: typeof text === 'string' ? text : n.topic,
    leadId: typeof leadId === 'string' ? leadId : null,
    details,
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}

export interface InboxQuery {
  unreadOnly: boolean;
  limit: number;
  cursor?: string | undefined;
}

export interface InboxPage {
  items: NotificationView[];
  unreadCount: number;
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/** The signed-in person's notifications, newest first. */
export async function inbox(ctx: AppContext, user: UserPrincipal, query: InboxQuery): Promise<InboxPage> {
  const before = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await listNotifications(ctx.store.db, user.userId, { unreadOnly: query.unreadOnly, limit: query.limit + 1, ...(before ? { before } : {}) });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toNotificationView),
    unreadCount: await countUnread(ctx.store.db, user.userId),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/** Marks one of the person's own notifications read; someone else's is as missing as one that never was. */
export async function markRead(ctx: AppContext, user: UserPrincipal, id: string): Promise<NotificationView> {
  const found = await findNotification(ctx.store.db, user.userId, id);
  if (!found) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No notification ${id}`);
  if (found.readAt) return toNotificationView(found);
  const at = ctx.now().toISOString();
  await markNotificationRead(ctx.store.db, user.userId, id, at);
  return toNotificationView({ ...found, readAt: at });
}

export async function markAllRead(ctx: AppContext, user: UserPrincipal): Promise<{ marked: number }> {
  return { marked: await markAllNotificationsRead(ctx.store.db, user.userId, ctx.now().toISOString()) };
}

/**
 * What a reconnecting live stream missed: the unread notifications after the one it saw last
 * (its Last-Event-ID). An id that is not the person's gives nothing; the inbox has the rest.
 */
export async function missedSince(ctx: AppContext, user: UserPrincipal, lastEventId: string): Promise<NotificationRecord[]> {
  const last = await findNotification(ctx.store.db, user.userId, lastEventId);
  return last ? await unreadAfter(ctx.store.db, user.userId, last, 200) : [];
}

function encodeCursor(n: NotificationRecord): string {
  return Buffer.from(JSON.stringify([n.createdAt, n.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // Exactly what encodeCursor writes: anything else (a loose date, a NUL in the id) would reach SQL.
    if (typeof createdAt === 'string' && typeof id === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(createdAt) && /^[\x21-\x7e]{1,100}$/.test(id)) return { createdAt, id };
  } catch {
    // answered below
  }
  throw new LeadRouterError('LR_ERR_INVALID_CURSOR', 'The cursor is malformed; pass nextCursor from the previous page');
}
