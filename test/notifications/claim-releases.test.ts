import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimReleases } from '../../src/app/notifications/claim-releases.js';
import type { Store } from '../../src/store/database.js';
import { claimOutboxMessages } from '../../src/store/outbox-queries.js';
import { DATABASE_KINDS, freshStore } from '../support/databases.js';

/** The claims a pass could not give back (the database went away) are given back by the next one, and only those. */
describe.each(DATABASE_KINDS)('claims given back after a failed pass (%s)', (kind) => {
  let store: Store;
  const now = '2026-03-04T09:00:00.000Z';
  const until = '2026-03-04T09:01:00.000Z';

  beforeAll(async () => {
    store = await freshStore(kind);
    await store.db
      .insertInto('outbox')
      .values(['m1', 'm2', 'm3'].map((id) => ({ id, topic: 'lead.assigned', payload: '{}', created_at: now, available_at: now, attempts: 0 })))
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('releases only messages still under that claim and not fanned out', async () => {
    const claimed = await claimOutboxMessages(store.db, store.kind, { now, until, limit: 10 });
    expect(claimed.map((m) => m.id).sort()).toEqual(['m1', 'm2', 'm3']);
    const releases = new ClaimReleases();
    releases.owe(
      'outbox',
      claimed.map((m) => m.id),
      until,
    );
    // Meanwhile m2 was fanned out and m3's claim ran out and another dispatcher took it.
    await store.db.updateTable('outbox').set({ delivered_at: now, claimed_until: null }).where('id', '=', 'm2').execute();
    await store.db.updateTable('outbox').set({ claimed_until: '2026-03-04T09:05:00.000Z' }).where('id', '=', 'm3').execute();

    expect(releases.size).toBe(3);
    expect(await releases.release(store.db)).toBe(1);
    expect(releases.size).toBe(0);
    const rows = await store.db.selectFrom('outbox').select(['id', 'claimed_until']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'm1', claimed_until: null },
      { id: 'm2', claimed_until: null },
      { id: 'm3', claimed_until: '2026-03-04T09:05:00.000Z' },
    ]);
    // m1 is due for the next claim at once.
    expect((await claimOutboxMessages(store.db, store.kind, { now, until: '2026-03-04T09:02:00.000Z', limit: 10 })).map((m) => m.id)).toEqual(['m1']);
  });

  it('keeps what it could not release for the pass after', async () => {
    const releases = new ClaimReleases();
    releases.owe('outbox', ['m1'], until);
    const broken = { updateTable: () => { throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }); } } as unknown as Store['db'];
    await expect(releases.release(broken)).rejects.toThrow(/ECONNREFUSED/);
    expect(releases.size).toBe(1);
  });
});
