import type { Kysely } from 'kysely';

/**
 * A lead records its originator — the manager who registered it (typed it in for a client they
 * found, or had it registered for them) — apart from its owner, who may change. Leads that came
 * before have none: nobody registered them by hand as far as the records tell.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('leads').addColumn('originator_id', 'text', (c) => c.references('managers.id')).execute();
  await db.schema.createIndex('leads_originator').on('leads').column('originator_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('leads_originator').execute();
  await db.schema.alterTable('leads').dropColumn('originator_id').execute();
}
