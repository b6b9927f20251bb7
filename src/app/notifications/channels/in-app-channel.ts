import { insertNotification } from '../../../store/notification-queries.js';
import type { AppContext } from '../../app-context.js';
import type { LiveFeed } from '../live-feed.js';
import type { PersonChannel } from './channel.js';

/**
 * Writes the person's inbox row (its id is the delivery's, so a retry never shows it twice)
 * and tells the live streams open in this process; other processes find the row by polling.
 */
export function inAppChannel(ctx: AppContext, liveFeed: LiveFeed): PersonChannel {
  return {
    async send(attempt, person) {
      const notification = { id: attempt.deliveryId, userId: person.id, topic: attempt.message.topic, payload: attempt.message.payload, createdAt: ctx.now().toISOString() };
      if (await insertNotification(ctx.store.db, notification)) liveFeed.publish({ ...notification, readAt: null });
    },
  };
}
