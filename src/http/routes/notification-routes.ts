import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { USER_CHANNELS } from '../../core/notifications/channel-preferences.js';
import type { AppContext } from '../../app/app-context.js';
import { inbox, markAllRead, markRead, missedSince, toNotificationView } from '../../app/notifications/inbox.js';
import type { LiveFeed } from '../../app/notifications/live-feed.js';
import { changeNotificationPreferences, linkTelegram, notificationPreferences, preferencesInputSchema, telegramInputSchema } from '../../app/notifications/notification-preferences.js';
import type { NotificationRecord } from '../../store/notification-queries.js';
import { sessionStillActive } from '../../app/people/sessions.js';
import { requireUser, SESSION_COOKIE } from '../auth.js';
import { errorBodySchema } from '../error-schema.js';

const notificationView = z.object({
  id: z.string(),
  topic: z.string(),
  text: z.string(),
  leadId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
const channelList = z.array(z.enum(USER_CHANNELS));
const preferencesView = z.object({
  topics: z.record(z.string(), channelList),
  defaults: z.record(z.string(), channelList),
  email: z.string().nullable(),
  telegramChatId: z.string().nullable(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
const inboxQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().describe('true: only unread ones'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export interface NotificationRouteOptions {
  /** How often an open stream sends a heartbeat and checks that its session still stands (15 s). */
  heartbeatMs?: number;
}

/**
 * The signed-in person's notifications: the inbox, the live stream (Server-Sent Events) and
 * their channel choices. API keys are refused: these belong to a person.
 */
export function notificationRoutes(ctx: AppContext, liveFeed: LiveFeed, options: NotificationRouteOptions = {}): FastifyPluginAsyncZod {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return async (app) => {
    const openStreams = new Set<ServerResponse>();
    // Open streams would keep the server from closing; end them first, browsers reconnect elsewhere.
    app.addHook('preClose', async () => {
      for (const stream of openStreams) stream.end();
    });

    app.get(
      '/api/v1/notifications',
      { config: { scope: 'self' }, schema: { tags: ['notifications'], summary: 'Your in-app notifications, newest first', querystring: inboxQuery, response: { 200: z.object({ items: z.array(notificationView), unreadCount: z.number(), nextCursor: z.string().nullable() }), 403: errorBodySchema } } },
      async (request) => await inbox(ctx, requireUser(request), { unreadOnly: request.query.unread === 'true', limit: request.query.limit, cursor: request.query.cursor }),
    );
    app.post(
      '/api/v1/notifications/:id/read',
      { config: { scope: 'self' }, schema: { tags: ['notifications'], summary: 'Mark one of your notifications read', params: idParams, response: { 200: notificationView, 403: errorBodySchema, 404: errorBodySchema } } },
      async (request) => await markRead(ctx, requireUser(request), request.params.id),
    );
    app.post(
      '/api/v1/notifications/read-all',
      { config: { scope: 'self' }, schema: { tags: ['notifications'], summary: 'Mark all your notifications read', response: { 200: z.object({ marked: z.number() }), 403: errorBodySchema } } },
      async (request) => await markAllRead(ctx, requireUser(request)),
    );

    app.get(
      '/api/v1/notifications/stream',
      {
        config: { scope: 'self' },
        schema: {
          tags: ['notifications'],
          summary: 'Live stream of your new notifications (text/event-stream)',
          description:
            'Each new in-app notification arrives as `event: notification` with the notification as JSON data and its id as the event id; a comment line every 15 s keeps proxies from closing the connection. The stream ends when its session does (sign-out, password or role change, deactivation). On reconnect, send Last-Event-ID to get the unread ones missed meanwhile.',
          headers: z.object({ 'last-event-id': z.string().max(200).optional() }),
          response: { 403: errorBodySchema },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const sessionToken = request.cookies[SESSION_COOKIE] ?? '';
        reply.hijack();
        const stream = reply.raw;
        stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        stream.write('retry: 3000\n\n');

        // Signing out, a password or role change and a deactivation delete the session; the
        // stream must end with it. Checked at every heartbeat, and before a notification when
        // the last check is older than a heartbeat interval; writes wait for the check, in order.
        let checkedAt = Date.now();
        let writes: Promise<void> = Promise.resolve();
        const stillSignedIn = async (force: boolean): Promise<boolean> => {
          if (!force && Date.now() - checkedAt < heartbeatMs) return true;
          checkedAt = Date.now();
          return await sessionStillActive(ctx, sessionToken);
        };
        const write = (text: string, force: boolean): void => {
          writes = writes
            .then(async () => {
              if (stream.writableEnded || stream.destroyed) return;
              if (await stillSignedIn(force)) stream.write(text);
              else stream.end();
            })
            .catch((error: unknown) => {
              request.log.error({ err: error }, 'could not check the session of a live stream; ending it');
              stream.end();
            });
        };
        const sent = new Set<string>();
        const send = (n: NotificationRecord): void => {
          if (sent.has(n.id) || stream.writableEnded) return;
          sent.add(n.id);
          write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(toNotificationView(n))}\n\n`, false);
        };
        // Listening starts before the backlog is read, so nothing falls between the two.
        const unsubscribe = liveFeed.subscribe(user.userId, send);
        const heartbeat = setInterval(() => write(': heartbeat\n\n', true), heartbeatMs);
        openStreams.add(stream);
        stream.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          openStreams.delete(stream);
        });
        const lastEventId = request.headers['last-event-id'];
        if (lastEventId) {
          try {
            for (const n of await missedSince(ctx, user, lastEventId)) send(n);
          } catch (error) {
            request.log.error({ err: error }, 'could not read the notifications a stream missed');
            stream.end();
          }
        }
      },
    );

    app.get(
      '/api/v1/me/notification-preferences',
      { config: { scope: 'self' }, schema: { tags: ['notifications'], summary: 'Which channels tell you about which events', response: { 200: preferencesView, 403: errorBodySchema } } },
      async (request) => await notificationPreferences(ctx, requireUser(request)),
    );
    app.put(
      '/api/v1/me/notification-preferences',
      {
        config: { scope: 'self' },
        schema: { tags: ['notifications'], summary: 'Choose channels per event type (in_app, email, telegram)', body: preferencesInputSchema, response: { 200: preferencesView, 403: errorBodySchema } },
      },
      async (request) => await changeNotificationPreferences(ctx, requireUser(request), request.body),
    );
    app.put(
      '/api/v1/me/telegram',
      { config: { scope: 'self' }, schema: { tags: ['notifications'], summary: 'Link the Telegram chat the bot writes to (null unlinks)', body: telegramInputSchema, response: { 200: preferencesView, 403: errorBodySchema } } },
      async (request) => await linkTelegram(ctx, requireUser(request), request.body),
    );
  };
}
