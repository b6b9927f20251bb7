import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * People and sessions, the lead's working life (pipeline, activities, tasks, deals), SLA,
 * transfers, pool settings, notification deliveries and the audit log.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('manager_id', 'text', (c) => c.references('managers.id').unique())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('telegram_chat_id', 'text')
    .addColumn('notification_prefs', t.json)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_login_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  // Failed logins, shared by every process, so the limit holds behind a load balancer too.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_email').on('login_failures').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_failures_ip').on('login_failures').columns(['ip', 'at']).execute();

  // A status pipeline per team (team_id null: the default for everyone else).
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.references('teams.id').unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('stages', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  // Catalogues of reasons: junk reasons and transfer reasons (the latter may auto-approve).
  await db.schema
    .createTable('reasons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('auto_approve', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('reasons_kind_key', ['kind', 'key'])
    .execute();

  await db.schema.alterTable('leads').addColumn('first_contact_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('last_activity_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('junk_reason', 'text').execute();
  await db.schema.alterTable('leads').addColumn('closed_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('qualified_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('qualified_by', 'text').execute();
  await db.schema.alterTable('leads').addColumn('sla_policy_id', 'text').execute();
  // 'first_contact' or 'next_step': which clock sla_due_at belongs to.
  await db.schema.alterTable('leads').addColumn('sla_kind', 'text').execute();
  await db.schema.alterTable('leads').addColumn('sla_due_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('sla_warned_at', t.timestamp).execute();
  await db.schema.alterTable('leads').addColumn('sla_breaches', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('leads').addColumn('reassignments', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('leads').addColumn('escalated_at', t.timestamp).execute();
  // Bumped by every change of owner or status, so a conditional update detects a race.
  await db.schema.alterTable('leads').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('leads_sla_due').on('leads').column('sla_due_at').execute();
  await db.schema.createIndex('leads_status_created').on('leads').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('note', 'text')
    .addColumn('manager_id', 'text', (c) => c.references('managers.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activities_lead').on('activities').columns(['lead_id', 'occurred_at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('assignee_id', 'text', (c) => c.references('managers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('offer', 'text')
    .addColumn('due_at', t.timestamp, (c) => c.notNull())
    .addColumn('done_at', t.timestamp)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_assignee_due').on('tasks').columns(['assignee_id', 'done_at', 'due_at']).execute();
  await db.schema.createIndex('tasks_lead').on('tasks').column('lead_id').execute();

  await db.schema
    .createTable('deals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id').unique())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    // The manager who registered the deal: the bonus share goes to them, whoever closes it.
    .addColumn('originator_id', 'text', (c) => c.references('managers.id'))
    .addColumn('owner_id', 'text', (c) => c.references('managers.id'))
    .addColumn('control_points', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('closed_at', t.timestamp)
    .execute();
  await db.schema.createIndex('deals_owner').on('deals').column('owner_id').execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('match', t.json, (c) => c.notNull())
    .addColumn('first_contact_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_step_minutes', 'integer')
    .addColumn('warn_before_minutes', 'integer')
    .addColumn('max_reassignments', 'integer', (c) => c.notNull())
    .addColumn('on_exhausted', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  // Days off for the business-hours clock: team_id null applies to everyone.
  await db.schema
    .createTable('holidays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('holidays_day').on('holidays').column('day').execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
    .addColumn('from_manager_id', 'text', (c) => c.references('managers.id'))
    .addColumn('to_manager_id', 'text', (c) => c.references('managers.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decision_comment', 'text')
    .addColumn('override_reason', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .execute();
  await db.schema.createIndex('transfers_lead').on('transfers').column('lead_id').execute();
  await db.schema.createIndex('transfers_status').on('transfers').columns(['status', 'created_at']).execute();
  // At most one open request per lead, whatever two managers do at once.
  await db.schema
    .createIndex('transfers_one_pending')
    .on('transfers')
    .column('lead_id')
    .unique()
    .where(sql.ref('status'), '=', 'requested')
    .execute();

  // Small named settings (pool mode and limits per team, …) as JSON documents.
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', t.json, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('topics', t.json, (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  // Claimed by a dispatcher for a while, so two dispatchers never fan out the same message.
  await db.schema.alterTable('outbox').addColumn('claimed_until', t.timestamp).execute();
  // Rows written before a dispatcher existed are history, not news: sending months of old
  // assignments to people and webhooks on upgrade would bury today's.
  await db
    .updateTable('outbox')
    .set({ delivered_at: new Date().toISOString(), last_error: 'written before notifications were delivered; not sent' })
    .where('delivered_at', 'is', null)
    .execute();

  // One row per message, recipient and channel; retried with backoff until delivered.
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('claimed_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('deliveries_once', ['outbox_id', 'channel', 'recipient'])
    .execute();
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();

  // The in-app inbox: what the live stream shows, kept for a user who was offline.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before', t.json)
    .addColumn('after', t.json)
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  // A starting catalogue of reasons, so junk and transfers can be marked from day one; admins edit it.
  const seeded = '2026-01-01T00:00:00.000Z';
  const reasons: Array<[kind: string, key: string, label: string]> = [
    ['junk', 'spam', 'Spam or a bot'],
    ['junk', 'wrong_contact', 'Wrong or unreachable contact'],
    ['junk', 'duplicate', 'Duplicate of another lead'],
    ['junk', 'no_need', 'No need for the product'],
    ['junk', 'competitor', 'A competitor'],
    ['junk', 'test', 'Test lead'],
    ['transfer', 'wrong_region', 'Another region'],
    ['transfer', 'wrong_product', 'Another product line'],
    ['transfer', 'overloaded', 'Too many open leads'],
    ['transfer', 'vacation', 'Vacation or absence'],
    ['transfer', 'client_request', 'The client asked for someone else'],
    ['transfer', 'language', 'The client speaks another language'],
  ];
  await db
    .insertInto('reasons')
    .values(reasons.map(([kind, key, label]) => ({ id: `reason-${kind}-${key}`, kind, key, label, auto_approve: 0, active: 1, created_at: seeded })))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'notifications', 'deliveries', 'webhooks', 'settings', 'transfers', 'holidays', 'sla_policies', 'deals', 'tasks', 'activities', 'reasons', 'pipelines', 'login_failures', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('leads_sla_due').execute();
  await db.schema.dropIndex('leads_status_created').execute();
  for (const column of ['first_contact_at', 'last_activity_at', 'junk_reason', 'closed_at', 'qualified_at', 'qualified_by', 'sla_policy_id', 'sla_kind', 'sla_due_at', 'sla_warned_at', 'sla_breaches', 'reassignments', 'escalated_at', 'version']) {
    await db.schema.alterTable('leads').dropColumn(column).execute();
  }
  await db.schema.alterTable('outbox').dropColumn('claimed_until').execute();
}
