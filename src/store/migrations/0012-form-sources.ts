import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * Web forms (issue 14): a form source per site form, with the public key in its endpoint's
 * URL, how its fields map to a lead, who may post it, and its anti-spam settings. Each form is
 * backed by an API key row of its own (never shown), so its submissions are attributed and
 * deduplicated like an integration's. A submission intake refused waits in the quarantine
 * until an admin fixes and replays it or discards it: nothing a visitor sent is lost.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('form_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id'))
    .addColumn('source', 'text')
    .addColumn('channel', 'text')
    .addColumn('campaign', 'text')
    .addColumn('field_map', t.json, (c) => c.notNull())
    .addColumn('allowed_origins', t.json, (c) => c.notNull())
    .addColumn('thank_you_url', 'text')
    .addColumn('honeypot_field', 'text')
    .addColumn('min_seconds', 'integer', (c) => c.notNull())
    .addColumn('keep_unknown', 'integer', (c) => c.notNull())
    .addColumn('per_ip_per_minute', 'integer', (c) => c.notNull())
    .addColumn('per_form_per_minute', 'integer', (c) => c.notNull())
    .addColumn('captcha_secret', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('form_quarantine')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('form_sources.id'))
    /** The fields as the visitor's browser sent them. */
    .addColumn('fields', t.json, (c) => c.notNull())
    /** The lead input they made, and why intake refused it. */
    .addColumn('input', t.json, (c) => c.notNull())
    .addColumn('issues', t.json, (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    /** waiting, replayed, discarded. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'text')
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addColumn('resolved_at', t.timestamp)
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('form_quarantine_waiting').on('form_quarantine').columns(['status', 'received_at']).execute();
}
