import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The shared state Prometheus gauges show, read at each scrape (each an indexed count). */
export interface OperationalFigures {
  outboxBacklog: number;
  outboxOldestAt: string | null;
  deliveries: Array<{ channel: string; pending: number; oldestAt: string | null }>;
  poolLeads: number;
}

export async function operationalFigures(db: Kysely<Database>): Promise<OperationalFigures> {
  const [outbox, deliveries, pool] = await Promise.all([
    db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow(),
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
    deliveries: deliveries.map((d) => ({ channel: d.channel, pending: Number(d.n), oldestAt: d.oldest === null ? null : String(d.oldest) })),
    poolLeads: Number(pool.n),
  };
}
