import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * Plans (issue 13, motivation): a target per month, team or manager, and metric. A manager's
 * row carries the team it was set for; the team's own row has no manager. One target per
 * (month, manager, metric) and per (month, team, metric) for the team row.
 * Indexes for the plan/fact figures: activities by manager and time, leads by first contact,
 * deals by registration and by closing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** 'YYYY-MM', read in the team's time zone. */
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    /** null: the team's own target. */
    .addColumn('manager_id', 'text', (c) => c.references('managers.id'))
    .addColumn('metric', 'text', (c) => c.notNull())
    /** For the period; per working day for activity norms (calls, emails, meetings). */
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plans_manager_metric').on('plans').columns(['period', 'manager_id', 'metric']).unique().where(sql.ref('manager_id'), 'is not', null).execute();
  await db.schema.createIndex('plans_team_metric').on('plans').columns(['period', 'team_id', 'metric']).unique().where(sql.ref('manager_id'), 'is', null).execute();
  await db.schema.createIndex('plans_team_period').on('plans').columns(['team_id', 'period']).execute();

  await db.schema.createIndex('plan_fact_activities_manager').on('activities').columns(['manager_id', 'occurred_at']).execute();
  await db.schema.createIndex('plan_fact_leads_first_contact').on('leads').column('first_contact_at').execute();
  await db.schema.createIndex('plan_fact_deals_created').on('deals').column('created_at').execute();
  await db.schema.createIndex('plan_fact_deals_closed').on('deals').columns(['closed_at', 'stage']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['plan_fact_deals_closed', 'plan_fact_deals_created', 'plan_fact_leads_first_contact', 'plan_fact_activities_manager']) await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('plans').execute();
}
