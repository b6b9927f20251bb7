import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type DatabaseKind, type DatabaseTarget, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

/** A new empty database on the shared embedded cluster, returned as its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject('postgresUrl');
  const name = `lr_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database URL a test server would be configured with: a fresh one of the given kind. */
export async function freshDatabaseUrl(kind: DatabaseKind): Promise<string> {
  return kind === 'postgres' ? await createPostgresDatabase() : 'sqlite::memory:';
}

/** A fresh, migrated store of the given kind: in-memory SQLite or a new PostgreSQL database. */
export async function freshStore(kind: DatabaseKind): Promise<Store> {
  const store =
    kind === 'postgres'
      ? openStore({ kind: 'postgres', url: await createPostgresDatabase(), poolSize: 4 })
      : openStore({ kind: 'sqlite', file: ':memory:' });
  const { error } = await migrateToLatest(store);
  if (error) throw error;
  return store;
}

/**
 * A fresh, migrated store that another thread can open too: an SQLite file in a temporary
 * directory (removed by `dispose`, after the store is closed) or a new PostgreSQL database.
 */
export async function freshSharedStore(kind: DatabaseKind): Promise<{ store: Store; target: DatabaseTarget; dispose(): void }> {
  let dir: string | null = null;
  let target: DatabaseTarget;
  if (kind === 'postgres') {
    target = { kind: 'postgres', url: await createPostgresDatabase(), poolSize: 4 };
  } else {
    dir = mkdtempSync(join(tmpdir(), 'leadrouter-test-'));
    target = { kind: 'sqlite', file: join(dir, 'leadrouter.sqlite') };
  }
  const store = openStore(target);
  const { error } = await migrateToLatest(store);
  if (error) throw error;
  return { store, target, dispose: () => void (dir && rmSync(dir, { recursive: true, force: true })) };
}
