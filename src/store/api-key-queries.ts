import type { Kysely } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export async function insertApiKey(
  db: Kysely<Database>,
  key: { id: string; name: string; prefix: string; hash: string; scopes: string[] },
  at: string,
  options: { ifAbsent?: boolean } = {},
): Promise<void> {
  const insert = db
    .insertInto('api_keys')
    .values({ id: key.id, name: key.name, prefix: key.prefix, hash: key.hash, scopes: writeJson(key.scopes), created_at: at, revoked_at: null, last_used_at: null });
  // Replicas starting together may ensure the same configured key at once; one insert wins.
  await (options.ifAbsent ? insert.onConflict((oc) => oc.column('hash').doNothing()) : insert).execute();
}

export async function findApiKeyByHash(db: Kysely<Database>, hash: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  return row
    ? { id: row.id, name: row.name, prefix: row.prefix, scopes: readJson<string[]>(row.scopes, []), createdAt: row.created_at, revokedAt: row.revoked_at }
    : undefined;
}

export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, prefix: row.prefix, scopes: readJson<string[]>(row.scopes, []), createdAt: row.created_at, revokedAt: row.revoked_at }));
}

export async function revokeApiKey(db: Kysely<Database>, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
