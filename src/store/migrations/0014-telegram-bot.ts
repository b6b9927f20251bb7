import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * The Telegram bot. One-time link codes (a deep link `t.me/<bot>?start=<code>` binds the chat
 * that opens it to the person who asked for it; only the code's sha256 is stored); one state
 * row with the getUpdates offset and the lease that lets one process poll at a time; the
 * updates already handled (a restart or a repeated webhook call does not act twice); and the
 * messages the bot sent about a lead, so their buttons can be edited when the lead is taken.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('telegram_link_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('telegram_link_codes_user').on('telegram_link_codes').column('user_id').execute();

  await db.schema
    .createTable('telegram_bot_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    /** The next getUpdates offset (the last handled update_id + 1). */
    .addColumn('update_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    /** Which process polls, until when: another takes over only after the lease ran out. */
    .addColumn('poller', 'text')
    .addColumn('poller_until', t.timestamp)
    .execute();
  await db.insertInto('telegram_bot_state').values({ id: 1, update_offset: 0, poller: null, poller_until: null }).execute();

  await db.schema
    .createTable('telegram_updates')
    .addColumn('update_id', 'bigint', (c) => c.primaryKey())
    .addColumn('handled_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('telegram_updates_handled').on('telegram_updates').column('handled_at').execute();

  await db.schema
    .createTable('telegram_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    /** 'offer' (a pool lead with «Взять») or 'lead' (a lead of the person's own). */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The text as sent, so an edit keeps it and adds the outcome. */
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('telegram_messages_lead').on('telegram_messages').columns(['lead_id', 'kind']).execute();
  await db.schema.createIndex('telegram_messages_chat').on('telegram_messages').columns(['chat_id', 'message_id']).unique().execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('telegram_messages').execute();
  await db.schema.dropTable('telegram_updates').execute();
  await db.schema.dropTable('telegram_bot_state').execute();
  await db.schema.dropTable('telegram_link_codes').execute();
}
