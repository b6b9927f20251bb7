import { sql, type Kysely } from 'kysely';

/**
 * A person's interface language becomes optional: null means "not chosen", which the web app
 * shows in Russian. The column was NOT NULL with the default 'en', which neither database lets
 * be dropped the same way (SQLite cannot alter a column), so it is rebuilt: a nullable copy,
 * the stored values kept (an 'en' may have been chosen by an admin; nothing tells a default
 * from a choice), the old column dropped and the copy renamed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('chosen_locale', 'text').execute();
  await sql`update users set chosen_locale = locale where locale in ('ru', 'en')`.execute(db);
  await db.schema.alterTable('users').dropColumn('locale').execute();
  await db.schema.alterTable('users').renameColumn('chosen_locale', 'locale').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('required_locale', 'text', (c) => c.notNull().defaultTo('en')).execute();
  await sql`update users set required_locale = locale where locale is not null`.execute(db);
  await db.schema.alterTable('users').dropColumn('locale').execute();
  await db.schema.alterTable('users').renameColumn('required_locale', 'locale').execute();
}
