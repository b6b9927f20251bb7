import type { Kysely } from 'kysely';

/**
 * Priority tiers and fairness periods. A manager's own priority tier in group rules (1 is tried
 * first; 2, normal, for everyone so far, so routing decides as before). A fair-share state row
 * says which tier and which fairness period (day 2026-12-07, week 2026-W50, month 2026-12, ''
 * for none) it counts: a state counted in another tier or period starts from zero when read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('managers').addColumn('priority', 'integer', (c) => c.notNull().defaultTo(2)).execute();
  await db.schema.alterTable('routing_state').addColumn('tier', 'integer').execute();
  await db.schema.alterTable('routing_state').addColumn('period', 'text', (c) => c.notNull().defaultTo('')).execute();
}
