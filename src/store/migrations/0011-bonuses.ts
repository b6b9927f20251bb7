import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * Bonuses (issue 13, docs/motivation.md "Bonus"): the terms a won deal was closed under (the
 * closer's team then and that team's bonus settings), the periods a team has closed (one row
 * per team and month: the primary key makes a second close fail, whichever process tries), and
 * the lines a close froze, adjustments included. Amounts are minor units (bigint).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('bonus_terms')
    .addColumn('deal_id', 'text', (c) => c.primaryKey())
    .addColumn('closer_id', 'text')
    .addColumn('team_id', 'text')
    /** {originatorShareBp, controlPointWeightsBp, rateBp}: the team's settings when the deal was won. */
    .addColumn('terms', t.json, (c) => c.notNull())
    .addColumn('won_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('bonus_periods')
    .addColumn('team_id', 'text', (c) => c.notNull())
    /** 'YYYY-MM', a calendar month in the team's time zone. */
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('closed_at', t.timestamp, (c) => c.notNull())
    /** The actor (user:…, api-key:…) and the name shown. */
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('closed_by_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bonus_periods_pk', ['team_id', 'period'])
    .execute();

  await db.schema
    .createTable('bonus_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('deal_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('deal_title', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text')
    .addColumn('manager_name', 'text')
    /** originator, closer, controlPoint:<key>. */
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('share_bp', 'integer', (c) => c.notNull())
    /** null: the deal was won without an amount. */
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('rate_bp', 'integer')
    .addColumn('bonus_minor', 'bigint')
    /** 1: a correction of a deal of an earlier closed period (`adjusts_period`). */
    .addColumn('adjustment', 'integer', (c) => c.notNull())
    .addColumn('adjusts_period', 'text')
    .addColumn('team_name', 'text', (c) => c.notNull())
    .addColumn('won_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bonus_lines_period').on('bonus_lines').columns(['team_id', 'period']).execute();
  await db.schema.createIndex('bonus_lines_deal').on('bonus_lines').columns(['deal_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bonus_lines').execute();
  await db.schema.dropTable('bonus_periods').execute();
  await db.schema.dropTable('bonus_terms').execute();
}
