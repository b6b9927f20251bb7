import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { LATEST_SCHEMA_VERSION, migrateToLatest, schemaVersion } from '../../src/store/migrate.js';
import { DATABASE_KINDS, freshStore } from '../support/databases.js';

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  it('bring an empty database to the latest schema version, and a second run changes nothing', async () => {
    const store = await freshStore(kind);
    stores.push(store);
    expect(await schemaVersion(store)).toBe(LATEST_SCHEMA_VERSION);
    const again = await migrateToLatest(store);
    expect(again.error).toBeUndefined();
    expect(again.results).toEqual([]);
  });

  it('round-trip timestamps, JSON and numbers in the same shapes on both databases', async () => {
    const store = await freshStore(kind);
    stores.push(store);
    const at = '2026-11-23T10:15:30.123Z';
    await store.db.insertInto('teams').values({ id: 't1', name: 'Moscow', created_at: at }).execute();
    await store.db
      .insertInto('managers')
      .values({
        id: 'm1', team_id: 't1', name: 'Anna', email: null, role: 'manager', weight: 1.5, max_open: 10, max_per_day: null,
        skills: JSON.stringify(['crm']), industries: '[]', regions: '[]', languages: '["ru"]', time_zone: 'Europe/Moscow',
        working_hours: null, paused: 0, active: 1, open_leads: 0, today_date: null, today_count: 0, created_at: at, updated_at: at,
      })
      .execute();
    const row = await store.db.selectFrom('managers').selectAll().executeTakeFirstOrThrow();
    expect(row.created_at).toBe(at);
    expect(JSON.parse(row.skills)).toEqual(['crm']);
    expect(row.weight).toBe(1.5);
    const count = await store.db.selectFrom('managers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });
});
