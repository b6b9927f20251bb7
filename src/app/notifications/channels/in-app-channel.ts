import { insertNotifications, type NotificationRecord } from '../../../store/notification-queries.js';
import type { AppContext } from '../../app-context.js';
import type { LiveFeed } from '../live-feed.js';
import { payloadFor, type InAppChannel } from './channel.js';
import { localeOf } from '../../../core/i18n/locale.js';

/**
 * Writes the people's inbox rows (each one's id is its delivery's, so a retry never shows it
 * twice) and tells the live streams open in this process; other processes find the rows by polling.
 */
export function inAppChannel(ctx: AppContext, liveFeed: LiveFeed): InAppChannel {
  return {
    async write(db, attempts) {
      const createdAt = ctx.now().toISOString();
      const rows = attempts.map(({ attempt, person }) => ({ id: attempt.deliveryId, userId: person.id, topic: attempt.message.topic, payload: payloadFor(attempt.message, localeOf(person.locale)), createdAt }));
      const fresh = await insertNotifications(db, rows);
      return rows.filter((r) => fresh.has(r.id)).map((r): NotificationRecord => ({ ...r, readAt: null }));
    },
    announce(notifications) {
      for (const n of notifications) liveFeed.publish(n);
    },
  };
}
