import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The shared state Prometheus gauges show, read at each scrape (each an indexed count). */
export interface OperationalFigures {
  outboxBacklog: number;
  outboxOldestAt: string | null;
  /** The outbox per lane (live, bulk): messages waiting and the oldest one's time. */
  lanes: Array<{ lane: string; waiting: number; oldestAt: string | null }>;
  /** Deliveries waiting per lane, all channels together. */
  deliveryLanes: Array<{ lane: string; pending: number; oldestAt: string | null }>;
  deliveries: Array<{ channel: string; pending: number; oldestAt: string | null }>;
  poolLeads: number;
}

export async function operationalFigures(db: Kysely<Database>): Promise<OperationalFigures> {
  const [outbox, lanes, deliveryLanes, deliveries, pool] = await Promise.all([
    db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow(),
    // Both read the lanes' partial indexes of what still waits (migration 0026).
    db
      .selectFrom('outbox')
      .select((eb) => ['lane', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .groupBy('lane')
      .execute(),
    db
      .selectFrom('deliveries')
      .select((eb) => ['lane', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .groupBy('lane')
      .execute(),
    db
      .selectFrom('deliveries')
      .select((eb) => ['channel', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .groupBy('channel')
      .execute(),
    db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pool').where('owner_id', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return {
    outboxBacklog: Number(outbox.n),
    outboxOldestAt: outbox.oldest === null ? null : String(outbox.oldest),
    lanes: lanes.map((l) => ({ lane: l.lane, waiting: Number(l.n), oldestAt: l.oldest === null ? null : String(l.oldest) })),
    deliveryLanes: deliveryLanes.map((l) => ({ lane: l.lane, pending: Number(l.n), oldestAt: l.oldest === null ? null : String(l.oldest) })),
    deliveries: deliveries.map((d) => ({ channel: d.channel, pending: Number(d.n), oldestAt: d.oldest === null ? null : String(d.oldest) })),
    poolLeads: Number(pool.n),
  };
}
