import type { Kysely, Selectable } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { ApiKeysTable, Database } from './schema.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  /** The actor who made the key (`user:<id>`, `api-key:<id>`, `system:<name>`); null for keys made before it was kept. */
  createdBy: string | null;
  /** When the key last got through (written at most once a minute per key and process, so it may lag a little). */
  lastUsedAt: string | null;
  /** Its leads keep fields intake does not know as custom fields instead of being refused. */
  keepUnknownFields: boolean;
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: readJson<string[]>(row.scopes, []),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    keepUnknownFields: Number(row.keep_unknown_fields) === 1,
  };
}

export async function insertApiKey(
  db: Kysely<Database>,
  key: { id: string; name: string; prefix: string; hash: string; scopes: string[]; createdBy?: string | null; keepUnknownFields?: boolean },
  at: string,
  options: { ifAbsent?: boolean } = {},
): Promise<void> {
  const insert = db.insertInto('api_keys').values({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    hash: key.hash,
    scopes: writeJson(key.scopes),
    created_at: at,
    revoked_at: null,
    last_used_at: null,
    created_by: key.createdBy ?? null,
    keep_unknown_fields: key.keepUnknownFields ? 1 : 0,
  });
  // Replicas starting together may ensure the same configured key at once; one insert wins.
  await (options.ifAbsent ? insert.onConflict((oc) => oc.column('hash').doNothing()) : insert).execute();
}

export async function findApiKeyByHash(db: Kysely<Database>, hash: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findApiKeyById(db: Kysely<Database>, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** The keys integrations hold; the rows that back web forms (no scopes, never shown) are the forms' own business. */
export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRecord[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('form_sources').select('form_sources.id').whereRef('form_sources.api_key_id', '=', 'api_keys.id'))))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

export async function revokeApiKey(db: Kysely<Database>, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Moves a key's last use forward (never back, when processes write out of order). */
export async function touchApiKey(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
    .execute();
}

export async function setApiKeyKeepUnknownFields(db: Kysely<Database>, id: string, keep: boolean): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ keep_unknown_fields: keep ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
