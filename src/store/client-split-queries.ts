import type { Kysely, Selectable } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { ClientSplitsTable, Database } from './schema.js';

export interface SplitCompanyRow {
  id: string;
  name: string;
  region: string | null;
  size: number | null;
  revenue: number | null;
  ownerId: string | null;
}

const CHUNK = 500;

function rowOf(r: { id: string; name: string; region: string | null; size: number | null; revenue: number | string | null; owner_id: string | null }): SplitCompanyRow {
  return { id: r.id, name: r.name, region: r.region, size: r.size === null ? null : Number(r.size), revenue: r.revenue === null ? null : Number(r.revenue), ownerId: r.owner_id };
}

const COLUMNS = ['companies.id', 'companies.name', 'companies.region', 'companies.size', 'companies.revenue', 'companies.owner_id'] as const;

/** Companies as a split reads them: nobody's, those a company import named, or these ids; at most `limit`. */
export async function splitCompanies(db: Kysely<Database>, from: { kind: 'unowned' } | { kind: 'import'; jobId: string } | { kind: 'ids'; ids: readonly string[] }, limit: number): Promise<SplitCompanyRow[]> {
  if (from.kind === 'unowned') return (await db.selectFrom('companies').select(COLUMNS).where('owner_id', 'is', null).orderBy('id').limit(limit).execute()).map(rowOf);
  if (from.kind === 'import') {
    return (await db.selectFrom('import_clients').innerJoin('companies', 'companies.id', 'import_clients.company_id').select(COLUMNS).where('import_clients.job_id', '=', from.jobId).orderBy('companies.id').limit(limit).execute()).map(rowOf);
  }
  const out: SplitCompanyRow[] = [];
  const ids = [...new Set(from.ids)].slice(0, limit);
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await db.selectFrom('companies').select(COLUMNS).where('id', 'in', ids.slice(i, i + CHUNK)).execute()).map(rowOf));
  return out;
}

export interface ClientSplitRecord {
  id: string;
  method: string;
  params: unknown;
  status: 'applied' | 'undone';
  companyCount: number;
  changedCount: number;
  perManager: Record<string, number>;
  teamId: string | null;
  createdBy: string;
  createdAt: string;
  undoneBy: string | null;
  undoneAt: string | null;
  restoredCount: number | null;
}

type SplitRow = Selectable<ClientSplitsTable>;

function splitOf(r: SplitRow): ClientSplitRecord {
  return {
    id: r.id,
    method: r.method,
    params: readJson<unknown>(r.params, null),
    status: r.status === 'undone' ? 'undone' : 'applied',
    companyCount: Number(r.company_count),
    changedCount: Number(r.changed_count),
    perManager: readJson<Record<string, number>>(r.per_manager, {}),
    teamId: r.team_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    undoneBy: r.undone_by,
    undoneAt: r.undone_at,
    restoredCount: r.restored_count === null ? null : Number(r.restored_count),
  };
}

export async function insertClientSplit(db: Kysely<Database>, split: ClientSplitRecord, entries: Array<{ companyId: string; previousOwnerId: string | null; ownerId: string }>): Promise<void> {
  await db
    .insertInto('client_splits')
    .values({
      id: split.id, method: split.method, params: writeJson(split.params), status: split.status, company_count: split.companyCount, changed_count: split.changedCount,
      per_manager: writeJson(split.perManager), team_id: split.teamId, created_by: split.createdBy, created_at: split.createdAt, undone_by: null, undone_at: null, restored_count: null,
    })
    .execute();
  for (let i = 0; i < entries.length; i += CHUNK) {
    await db
      .insertInto('client_split_entries')
      .values(entries.slice(i, i + CHUNK).map((e) => ({ split_id: split.id, company_id: e.companyId, previous_owner_id: e.previousOwnerId, owner_id: e.ownerId })))
      .execute();
  }
}

export async function findClientSplit(db: Kysely<Database>, id: string): Promise<ClientSplitRecord | null> {
  const row = await db.selectFrom('client_splits').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? splitOf(row) : null;
}

export async function listClientSplits(db: Kysely<Database>, options: { teamId?: string; limit: number }): Promise<ClientSplitRecord[]> {
  let q = db.selectFrom('client_splits').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.teamId !== undefined) q = q.where('team_id', '=', options.teamId);
  return (await q.execute()).map(splitOf);
}

export async function clientSplitEntries(db: Kysely<Database>, splitId: string): Promise<Array<{ companyId: string; previousOwnerId: string | null; ownerId: string }>> {
  const rows = await db.selectFrom('client_split_entries').select(['company_id', 'previous_owner_id', 'owner_id']).where('split_id', '=', splitId).execute();
  return rows.map((r) => ({ companyId: r.company_id, previousOwnerId: r.previous_owner_id, ownerId: r.owner_id }));
}

/** Marks a split undone, only from applied: false when another request undid it first. */
export async function markClientSplitUndone(db: Kysely<Database>, id: string, by: string, at: string, restored: number): Promise<boolean> {
  const result = await db.updateTable('client_splits').set({ status: 'undone', undone_by: by, undone_at: at, restored_count: restored }).where('id', '=', id).where('status', '=', 'applied').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Sets the owner of many companies at once, in chunks: `owner` → the ids it gets. */
export async function setCompanyOwners(db: Kysely<Database>, byOwner: Map<string | null, string[]>, at: string): Promise<void> {
  for (const [ownerId, ids] of byOwner) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await db.updateTable('companies').set({ owner_id: ownerId, updated_at: at }).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    }
  }
}

/** The current owners of these companies (a company that is gone is left out). */
export async function companyOwners(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await db.selectFrom('companies').select(['id', 'owner_id']).where('id', 'in', ids.slice(i, i + CHUNK)).execute()) out.set(r.id, r.owner_id);
  }
  return out;
}
