import type { Kysely } from 'kysely';
import { reachableChannels, type NotificationPrefs } from '../../core/notifications/channel-preferences.js';
import { retryDelayMs } from '../../core/notifications/retry-schedule.js';
import { insertDeliveries, type NewDelivery } from '../../store/delivery-queries.js';
import { claimOutboxMessages, deferOutboxMessage, markOutboxFannedOut, type ClaimedOutboxMessage } from '../../store/outbox-queries.js';
import { activeRecipients } from '../../store/recipient-queries.js';
import type { Database } from '../../store/schema.js';
import { webhooksFor } from '../../store/webhook-queries.js';
import type { AppContext } from '../app-context.js';
import type { OutgoingMessage } from './channels/channel.js';
import type { Audience } from './topics.js';

export interface FanOutOptions {
  /** Messages claimed per pass. */
  limit?: number;
  /** How long a claim keeps other dispatchers off a message. */
  claimMs?: number;
  /** In [0, 1): spreads the retries of messages that failed together. */
  random?: () => number;
}

export interface FanOutReport {
  /** Outbox messages turned into deliveries. */
  messages: number;
  /** Deliveries those messages made (before dropping ones another dispatcher had already made). */
  deliveries: number;
  /** Messages that could not be fanned out this time and wait for another pass. */
  deferred: number;
}

/**
 * Turns outbox messages into deliveries: one per person the message's audience names and per
 * channel that person chose for the topic, plus one per webhook subscribed to it. Each message
 * is claimed first, so dispatchers in several processes share the work; its deliveries and
 * its "fanned out" mark commit together.
 */
export async function fanOut(ctx: AppContext, options: FanOutOptions = {}): Promise<FanOutReport> {
  const now = ctx.now();
  const claimed = await claimOutboxMessages(ctx.store.db, ctx.store.kind, {
    now: now.toISOString(),
    until: new Date(now.getTime() + (options.claimMs ?? 60_000)).toISOString(),
    limit: options.limit ?? 100,
  });
  const report: FanOutReport = { messages: 0, deliveries: 0, deferred: 0 };
  for (const message of claimed) {
    try {
      const made = await ctx.store.db.transaction().execute(async (trx) => {
        const deliveries = await deliveriesFor(ctx, trx, message);
        const at = ctx.now().toISOString();
        await insertDeliveries(trx, deliveries, at);
        await markOutboxFannedOut(trx, message.id, at);
        return deliveries.length;
      });
      report.messages += 1;
      report.deliveries += made;
    } catch (error) {
      report.deferred += 1;
      const retryAt = new Date(ctx.now().getTime() + retryDelayMs(message.attempts + 1, (options.random ?? Math.random)())).toISOString();
      await deferOutboxMessage(ctx.store.db, message.id, `Fan-out failed: ${errorText(error)}`, retryAt);
    }
  }
  return report;
}

async function deliveriesFor(ctx: AppContext, db: Kysely<Database>, message: ClaimedOutboxMessage): Promise<NewDelivery[]> {
  const parsed: unknown = JSON.parse(message.payloadJson);
  const payload = isRecord(parsed) ? parsed : {};
  const { audience, ...rest } = payload;
  const outgoing: OutgoingMessage = { id: message.id, topic: message.topic, payload: rest, createdAt: message.createdAt };
  const deliveries: NewDelivery[] = [];
  const add = (channel: string, recipient: string): void => {
    deliveries.push({ id: ctx.newId(), outboxId: message.id, topic: message.topic, channel, recipient, payload: outgoing });
  };

  const people = await activeRecipients(db, audienceOf(audience));
  for (const person of people) {
    for (const channel of reachableChannels(message.topic, person.prefs as NotificationPrefs | null, person)) add(channel, person.id);
  }
  for (const webhook of await webhooksFor(db, message.topic)) add('webhook', webhook.id);
  return deliveries;
}

function audienceOf(value: unknown): Required<Audience> {
  const a = isRecord(value) ? value : {};
  const ids = (v: unknown): string[] => (Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string' && x.length > 0))] : []);
  return { managers: ids(a.managers), headsOf: ids(a.headsOf), users: ids(a.users) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
