import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('managers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('manager'))
    .addColumn('weight', 'double precision', (c) => c.notNull().defaultTo(1))
    .addColumn('max_open', 'integer')
    .addColumn('max_per_day', 'integer')
    .addColumn('skills', t.json, (c) => c.notNull())
    .addColumn('industries', t.json, (c) => c.notNull())
    .addColumn('regions', t.json, (c) => c.notNull())
    .addColumn('languages', t.json, (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('working_hours', t.json)
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('open_leads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('today_date', 'text')
    .addColumn('today_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('managers_team').on('managers').column('team_id').execute();
  await db.schema.createIndex('managers_email').on('managers').column('email').unique().execute();

  await db.schema
    .createTable('absences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('manager_id', 'text', (c) => c.notNull().references('managers.id').onDelete('cascade'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('absences_manager').on('absences').columns(['manager_id', 'ends_on']).execute();
  await db.schema.createIndex('absences_ends').on('absences').column('ends_on').execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('domain', 'text')
    .addColumn('parent_id', 'text', (c) => c.references('companies.id'))
    .addColumn('size', 'integer')
    .addColumn('industry', 'text')
    .addColumn('region', 'text')
    .addColumn('owner_id', 'text', (c) => c.references('managers.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('companies_name_key').on('companies').column('name_key').execute();
  await db.schema.createIndex('companies_tax_id').on('companies').column('tax_id').execute();
  await db.schema.createIndex('companies_domain').on('companies').column('domain').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    .addColumn('owner_id', 'text', (c) => c.references('managers.id'))
    .addColumn('phones', t.json, (c) => c.notNull())
    .addColumn('emails', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contact_keys')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('contact_keys_pk', ['kind', 'value', 'contact_id'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .addColumn('last_used_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('leads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('managers.id'))
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('phone_raw', 'text')
    .addColumn('email', 'text')
    .addColumn('company_name', 'text')
    .addColumn('company_name_key', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('domain', 'text')
    .addColumn('website', 'text')
    .addColumn('source', 'text')
    .addColumn('channel', 'text')
    .addColumn('campaign', 'text')
    .addColumn('utm', t.json)
    .addColumn('region', 'text')
    .addColumn('country', 'text')
    .addColumn('industry', 'text')
    .addColumn('company_size', 'integer')
    .addColumn('product_interest', t.json, (c) => c.notNull())
    .addColumn('deal_value', 'double precision')
    .addColumn('language', 'text')
    .addColumn('score', 'double precision')
    .addColumn('priority', 'text')
    .addColumn('comment', 'text')
    .addColumn('custom', t.json, (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    .addColumn('duplicate_of', 'text')
    .addColumn('match', t.json)
    .addColumn('problems', t.json)
    .addColumn('api_key_id', 'text', (c) => c.references('api_keys.id'))
    .addColumn('idempotency_key', 'text')
    .addColumn('idempotency_index', 'integer')
    .addColumn('request_hash', 'text')
    .addColumn('assigned_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('leads_idempotency')
    .on('leads')
    .columns(['api_key_id', 'idempotency_key', 'idempotency_index'])
    .unique()
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();
  await db.schema.createIndex('leads_created').on('leads').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('leads_owner_status').on('leads').columns(['owner_id', 'status']).execute();

  // Every phone, e-mail and tax id a lead arrived with, so a repeat is found by any of them.
  await db.schema
    .createTable('lead_keys')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('lead_keys_pk', ['kind', 'value', 'lead_id'])
    .execute();
  await db.schema.createIndex('lead_keys_lead').on('lead_keys').column('lead_id').execute();

  await db.schema
    .createTable('rule_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('published_at', t.timestamp)
    .addColumn('published_by', 'text')
    .execute();

  // At most one published rule set, whatever two publishers do at once.
  await db.schema
    .createIndex('rule_sets_one_published')
    .on('rule_sets')
    .column('status')
    .unique()
    .where(sql.ref('status'), '=', 'published')
    .execute();

  // One row whose update is the routing lock: the same code path serialises decisions on
  // PostgreSQL (a row lock held to commit) and on SQLite (it takes the write lock first).
  await db.schema
    .createTable('routing_lock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('decisions', 'bigint', (c) => c.notNull())
    .addColumn('last_decided_at', t.timestamp)
    .execute();
  await db.insertInto('routing_lock').values({ id: 1, decisions: 0, last_decided_at: null }).execute();

  await db.schema
    .createTable('routing_state')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.notNull().references('managers.id').onDelete('cascade'))
    .addColumn('credit', 'double precision', (c) => c.notNull())
    .addColumn('assigned', 'integer', (c) => c.notNull())
    .addColumn('last_assigned_at', 'bigint')
    .addPrimaryKeyConstraint('routing_state_pk', ['rule_id', 'manager_id'])
    .execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('manager_id', 'text', (c) => c.references('managers.id'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('strategy', 'text')
    .addColumn('rule_set_version', 'integer')
    .addColumn('trace', t.json, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assignments_lead').on('assignments').columns(['lead_id', 'created_at']).execute();
  await db.schema.createIndex('assignments_manager').on('assignments').columns(['manager_id', 'created_at']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_lead').on('events').columns(['lead_id', 'created_at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('available_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_at', t.timestamp)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['delivered_at', 'available_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox', 'events', 'assignments', 'routing_state', 'routing_lock', 'rule_sets', 'lead_keys', 'leads', 'api_keys', 'contact_keys', 'contacts', 'companies', 'absences', 'managers', 'teams']) {
    await db.schema.dropTable(table).execute();
  }
}
