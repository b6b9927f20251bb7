import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';

describe.each(DATABASE_KINDS)('people stored before the locale became optional, on %s', (kind) => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keep their language and sessions; new people may have none', async () => {
    const store = kind === 'postgres' ? openStore({ kind: 'postgres', url: await createPostgresDatabase(), poolSize: 2 }) : openStore({ kind: 'sqlite', file: ':memory:' });
    stores.push(store);
    expect((await migrateTo(store, '0003-lead-search')).error).toBeUndefined();
    const at = '2026-11-25T09:00:00.000Z';
    const person = { password_hash: 'x', role: 'qualifier', team_id: null, manager_id: null, active: 1, telegram_chat_id: null, notification_prefs: null, created_at: at, updated_at: at, last_login_at: null };
    await store.db.insertInto('users').values([
      { ...person, id: 'u-en', email: 'en@example.test', name: 'En', locale: 'en' },
      { ...person, id: 'u-ru', email: 'ru@example.test', name: 'Ru', locale: 'ru' },
    ]).execute();
    await store.db.insertInto('sessions').values({ id: 's1', user_id: 'u-ru', csrf_token: 'c', created_at: at, expires_at: at, last_seen_at: at }).execute();

    expect((await migrateToLatest(store)).error).toBeUndefined();
    await store.db.insertInto('users').values({ ...person, id: 'u-none', email: 'none@example.test', name: 'None', locale: null }).execute();
    const rows = await store.db.selectFrom('users').select(['id', 'locale']).orderBy('id').execute();
    expect(rows).toEqual([{ id: 'u-en', locale: 'en' }, { id: 'u-none', locale: null }, { id: 'u-ru', locale: 'ru' }]);
    expect(await store.db.selectFrom('sessions').select('user_id').execute()).toEqual([{ user_id: 'u-ru' }]);
  });
});
