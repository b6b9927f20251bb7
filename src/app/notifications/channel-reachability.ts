import { sql, type Kysely } from 'kysely';
import type { DeliveryRecord } from '../../store/delivery-queries.js';
import type { Database } from '../../store/schema.js';
import { UNREACHABLE_PREFIX } from './channels/channel.js';

/**
 * The channels (e-mail, Telegram) and single receivers (a webhook, a CRM connector) a send
 * found unreachable and none has reached since, kept by the dispatcher across passes. One short
 * key per channel or receiver, never per message: an outage of any length holds the same few
 * entries.
 */
export class ChannelReachability {
  private readonly down = new Set<string>();

  markDown(delivery: DeliveryRecord): void {
    this.down.add(reachKey(delivery).key);
  }

  /** Whether the delivery's channel was down; it is up from now on. */
  markUp(delivery: DeliveryRecord): boolean {
    return this.down.delete(reachKey(delivery).key);
  }
}

/** Telegram and e-mail are one service each; a webhook or CRM connector is its own receiver. */
function reachKey(delivery: DeliveryRecord): { key: string; channel: string; recipient: string | null } {
  const perReceiver = delivery.channel === 'webhook' || delivery.channel === 'crm';
  return { key: perReceiver ? `${delivery.channel}\n${delivery.recipient}` : delivery.channel, channel: delivery.channel, recipient: perReceiver ? delivery.recipient : null };
}

/**
 * Sends went through over channels that were unreachable (this process saw them fail, or the
 * delivery itself had waited for its channel): those channels are back, so the deliveries still
 * waiting for them are due now. Without this they would go out only as their backoff ran out:
 * after a long outage, up to an hour later, while fresh messages over the same channel went out
 * at once. Only the ones that failed for want of the channel are brought forward; one a server
 * refused keeps its schedule. Returns how many were brought forward.
 */
export async function resumeChannelsBack(db: Kysely<Database>, sent: DeliveryRecord[], reachability: ChannelReachability | undefined, now: string): Promise<number> {
  const back = new Map<string, { channel: string; recipient: string | null }>();
  for (const delivery of sent) {
    const wasDown = reachability?.markUp(delivery) ?? false;
    if (wasDown || delivery.lastError?.startsWith(UNREACHABLE_PREFIX)) {
      const { key, channel, recipient } = reachKey(delivery);
      back.set(key, { channel, recipient });
    }
  }
  let resumed = 0;
  for (const { channel, recipient } of back.values()) {
    const result = await db
      .updateTable('deliveries')
      .set({ next_attempt_at: now })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', now)
      .where('channel', '=', channel)
      .$if(recipient !== null, (qb) => qb.where('recipient', '=', recipient as string))
      .where(sql<string>`substr(last_error, 1, ${sql.lit(UNREACHABLE_PREFIX.length)})`, '=', UNREACHABLE_PREFIX)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .executeTakeFirst();
    resumed += Number(result.numUpdatedRows);
  }
  return resumed;
}
