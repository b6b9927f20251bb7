import { afterAll, describe, expect, it } from 'vitest';
import { leadSearchTerms } from '../../src/core/normalize/search-text.js';
import { openStore, type Store } from '../../src/store/database.js';
import { listLeads } from '../../src/store/lead-queries.js';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';

describe.each(DATABASE_KINDS)('leads stored before search existed on %s', (kind) => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  it('are made searchable by the migration that adds search', async () => {
    const store = kind === 'postgres' ? openStore({ kind: 'postgres', url: await createPostgresDatabase(), poolSize: 2 }) : openStore({ kind: 'sqlite', file: ':memory:' });
    stores.push(store);
    expect((await migrateTo(store, '0002-working-the-lead')).error).toBeUndefined();
    const at = '2026-11-25T09:00:00.000Z';
    const old = { status: 'new', product_interest: '[]', custom: '{}', created_at: at, updated_at: at };
    await store.db
      .insertInto('leads')
      .values([
        { ...old, id: 'a', name: 'Пётр', company_name: 'ООО «Ёлка»', email: 'petr@example.com', phone: '+79161234567', phone_raw: '8 916 123-45-67' },
        { ...old, id: 'b', name: null, company_name: null, email: null, phone: null, phone_raw: null },
      ] as never)
      .execute();

    expect((await migrateToLatest(store)).error).toBeUndefined();
    const rows = await store.db.selectFrom('leads').select(['id', 'search_text', 'search_digits']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', search_text: 'петр\nооо «елка»\npetr@example.com', search_digits: '79161234567 89161234567' },
      { id: 'b', search_text: null, search_digits: null },
    ]);
    const found = await listLeads(store.db, { search: leadSearchTerms('ЁЛКА', 'RU') }, { limit: 10 });
    expect(found.map((l) => l.id)).toEqual(['a']);
  });
});
