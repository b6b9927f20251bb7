import { sql, type Kysely } from 'kysely';
import { leadSearchDigits, leadSearchText } from '../../core/normalize/search-text.js';

/**
 * What leads are searched by, normalised once when a lead is written: `search_text` (name,
 * company name and e-mail, lower-cased by JavaScript, since neither SQLite's LIKE nor
 * PostgreSQL's lower() under every locale folds Cyrillic) and `search_digits` (the digits of
 * its phone as written and as E.164). Existing leads are filled in here with the normaliser the
 * writers use, so old and new rows compare alike; a change to that normaliser needs a
 * migration that fills them in again.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('leads').addColumn('search_text', 'text').execute();
  await db.schema.alterTable('leads').addColumn('search_digits', 'text').execute();

  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('leads')
      .select(['id', 'name', 'company_name', 'email', 'phone', 'phone_raw'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute()) as Array<{ id: string; name: string | null; company_name: string | null; email: string | null; phone: string | null; phone_raw: string | null }>;
    const last = rows[rows.length - 1];
    if (!last) break;
    const values = rows.map((r) => {
      const text = leadSearchText({ name: r.name, companyName: r.company_name, email: r.email });
      const digits = leadSearchDigits({ phone: r.phone, phoneRaw: r.phone_raw });
      // The casts tell PostgreSQL the parameter types it cannot infer inside VALUES.
      return sql`(cast(${r.id} as text), cast(${text} as text), cast(${digits} as text))`;
    });
    await sql`
      with v(id, search_text, search_digits) as (values ${sql.join(values)})
      update leads set
        search_text = (select v.search_text from v where v.id = leads.id),
        search_digits = (select v.search_digits from v where v.id = leads.id)
      where id in (select id from v)
    `.execute(db);
    after = last.id;
  }
}

// Three parameters a row: well inside SQLite's 32,766 and PostgreSQL's 65,535.
const BACKFILL_BATCH = 2000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed against Kysely<any>
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('leads').dropColumn('search_digits').execute();
  await db.schema.alterTable('leads').dropColumn('search_text').execute();
}
