import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * CRM connectors (issue 14): a Bitrix24 portal or an amoCRM account an admin connected. Each
 * is backed by an API key row of its own (never shown), so the leads it brings in are
 * attributed to it and deduplicated by the CRM's id as intake idempotency keys. The user map
 * says which CRM user each leadrouter manager is; the lead links say which CRM lead a
 * leadrouter lead is (brought in, or created in the CRM by leadrouter). The connector row
 * also keeps the poll's high-water mark, the lease that lets one process poll at a time, and
 * what admins see of its health (last sync, last error).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('crm_connectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** bitrix24 or amocrm. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** The unguessable key in the public address the CRM posts its events to. */
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id'))
    /** Bitrix24: the inbound webhook URL (its code is a secret); amoCRM: https://<subdomain>.amocrm.ru. */
    .addColumn('endpoint', 'text', (c) => c.notNull())
    /** amoCRM's long-lived token; null for Bitrix24 (the webhook URL carries its code). */
    .addColumn('access_token', 'text')
    /** Bitrix24: the outbound handler's application token that events carry. */
    .addColumn('event_token', 'text')
    /** createLeads, pollIntervalSeconds, source, locale. */
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    /** The highest CRM lead id the poll has seen. */
    .addColumn('last_seen_id', 'text')
    .addColumn('last_polled_at', t.timestamp)
    .addColumn('last_sync_at', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', t.timestamp)
    .addColumn('leads_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('poller', 'text')
    .addColumn('poller_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('crm_user_map')
    .addColumn('connector_id', 'text', (c) => c.notNull().references('crm_connectors.id').onDelete('cascade'))
    .addColumn('manager_id', 'text', (c) => c.notNull())
    .addColumn('crm_user_id', 'text', (c) => c.notNull())
    .addColumn('crm_user_name', 'text')
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_user_map_pk', ['connector_id', 'manager_id'])
    .execute();

  await db.schema
    .createTable('crm_lead_links')
    .addColumn('connector_id', 'text', (c) => c.notNull().references('crm_connectors.id').onDelete('cascade'))
    .addColumn('crm_id', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    /** in: the lead came from the CRM; out: leadrouter created it there. */
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_lead_links_pk', ['connector_id', 'crm_id'])
    .execute();
  await db.schema.createIndex('crm_lead_links_lead').on('crm_lead_links').columns(['connector_id', 'lead_id']).unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('crm_lead_links').execute();
  await db.schema.dropTable('crm_user_map').execute();
  await db.schema.dropTable('crm_connectors').execute();
}
