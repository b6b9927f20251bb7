import { afterFailure } from '../../core/notifications/retry-schedule.js';
import { claimDueDeliveries, markDeliveryDelivered, postponeDelivery, recordDeliveryFailure, type DeliveryRecord } from '../../store/delivery-queries.js';
import { findRecipient } from '../../store/recipient-queries.js';
import { findWebhook } from '../../store/webhook-queries.js';
import type { AppContext } from '../app-context.js';
import { ChannelNotConfigured, Undeliverable, type ChannelSet, type OutgoingMessage } from './channels/channel.js';

export interface DeliverOptions {
  /** Deliveries claimed per pass. */
  limit?: number;
  /** Sent at once; webhooks and SMTP spend most of their time waiting. */
  concurrency?: number;
  /** Longer than the slowest channel's timeout, so nobody else takes a delivery still being sent. */
  claimMs?: number;
  /** How long a delivery waits when its channel is not configured here. */
  postponeMs?: number;
  /** In [0, 1): the jitter of the retry schedule. */
  random?: () => number;
}

export interface DeliverReport {
  delivered: number;
  /** Failed attempts with another one scheduled. */
  retried: number;
  /** Given up: the last retry failed, or retrying cannot help. Admins see them and may retry by hand. */
  failed: number;
  /** Waiting for the channel to be configured. */
  postponed: number;
}

type Outcome = keyof DeliverReport;

/**
 * Sends the deliveries that are due: claims them (so no two dispatchers send the same one),
 * sends each over its channel, and records the result. A channel that is down only delays:
 * the delivery is retried with exponential backoff and marked failed, never dropped, after
 * the last attempt.
 */
export async function deliverDue(ctx: AppContext, channels: ChannelSet, options: DeliverOptions = {}): Promise<DeliverReport> {
  const now = ctx.now();
  const claimed = await claimDueDeliveries(ctx.store.db, ctx.store.kind, {
    now: now.toISOString(),
    until: new Date(now.getTime() + (options.claimMs ?? 120_000)).toISOString(),
    limit: options.limit ?? 100,
  });
  const report: DeliverReport = { delivered: 0, retried: 0, failed: 0, postponed: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < claimed.length) {
      const delivery = claimed[next++] as DeliveryRecord;
      report[await attempt(ctx, channels, delivery, options)] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, claimed.length) }, worker));
  return report;
}

async function attempt(ctx: AppContext, channels: ChannelSet, delivery: DeliveryRecord, options: DeliverOptions): Promise<Outcome> {
  const db = ctx.store.db;
  try {
    await send(ctx, channels, delivery);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const at = ctx.now();
    if (error instanceof ChannelNotConfigured) {
      await postponeDelivery(db, delivery.id, text, new Date(at.getTime() + (options.postponeMs ?? 5 * 60_000)).toISOString());
      return 'postponed';
    }
    if (error instanceof Undeliverable) {
      await recordDeliveryFailure(db, delivery.id, { error: text, retryAt: null });
      return 'failed';
    }
    const decision = afterFailure(delivery.attempts + 1, at, (options.random ?? Math.random)());
    await recordDeliveryFailure(db, delivery.id, { error: text, retryAt: decision.kind === 'retry' ? decision.at : null });
    return decision.kind === 'retry' ? 'retried' : 'failed';
  }
  await markDeliveryDelivered(db, delivery.id, ctx.now().toISOString());
  return 'delivered';
}

async function send(ctx: AppContext, channels: ChannelSet, delivery: DeliveryRecord): Promise<void> {
  const attempt = { deliveryId: delivery.id, message: delivery.payload as OutgoingMessage };
  if (delivery.channel === 'webhook') {
    const webhook = await findWebhook(ctx.store.db, delivery.recipient);
    if (!webhook || !webhook.active) throw new Undeliverable('The webhook was deleted or disabled');
    await channels.webhook.send(attempt, webhook);
    return;
  }
  if (delivery.channel !== 'in_app' && delivery.channel !== 'email' && delivery.channel !== 'telegram') throw new Undeliverable(`Unknown channel ${delivery.channel}`);
  const person = await findRecipient(ctx.store.db, delivery.recipient);
  if (!person) throw new Undeliverable('The user no longer exists');
  if (!person.active) throw new Undeliverable('The user is deactivated');
  await channels[delivery.channel].send(attempt, person);
}
