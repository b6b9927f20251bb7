import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

let dir: string;
let store: Store;
let other: BetterSqlite3.Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadrouter-sqlite-tx-'));
  const file = join(dir, 'leadrouter.sqlite');
  store = openStore({ kind: 'sqlite', file });
  const { error } = await migrateToLatest(store);
  if (error) throw error;
  // Another connection to the same file, as the intake thread has; it does not wait for locks.
  other = new BetterSqlite3(file);
  other.pragma('busy_timeout = 0');
});

afterEach(async () => {
  other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('takes the write lock when a transaction begins, so no other connection can commit between its reads and its writes', async () => {
  await store.db.transaction().execute(async (trx) => {
    await trx.selectFrom('teams').selectAll().execute();
    // A deferred transaction would let this commit and then fail its own first write (SQLITE_BUSY).
    expect(() => other.exec('create table probe (x)')).toThrow(/locked|busy/i);
    await trx.insertInto('teams').values({ id: 't1', name: 'Sales', created_at: '2026-11-25T09:00:00.000Z' }).execute();
  });
  expect(() => other.exec('create table probe (x)')).not.toThrow();
  expect(other.prepare('select count(*) as n from teams').get()).toEqual({ n: 1 });
});
