import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from './database.js';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

/** Leads and junk of one source in one UTC hour. */
export interface SourceHourCount {
  source: string;
  hourStart: number;
  leads: number;
  junk: number;
}

/** A lead is junk while it stands in a junk stage: only then does it keep a junk reason. */
const JUNK = sql<number>`sum(case when junk_reason is not null then 1 else 0 end)`;

/**
 * Every source any lead names, walked along the (source, created_at, junk_reason) index one
 * distinct value at a time: a few index lookups however many leads there are.
 */
export async function allSources(db: Kysely<Database>, limit = 2000): Promise<string[]> {
  const found: string[] = [];
  let after: string | null = null;
  while (found.length < limit) {
    let query = db.selectFrom('leads').select((eb) => eb.fn.min('source').as('source')).where('source', 'is not', null);
    if (after !== null) query = query.where('source', '>', after);
    const row = await query.executeTakeFirst();
    const next = row?.source ?? null;
    if (next === null) break;
    found.push(next);
    after = next;
  }
  return found;
}

/**
 * Leads per source per UTC hour that arrived in [from, to), one row per source and hour that
 * had a lead; every source when `sources` is left out. Read source by source, each a range of
 * the covering (source, created_at, junk_reason) index, so no lead row is visited.
 */
export async function hourlyCountsBySource(db: Kysely<Database>, kind: DatabaseKind, from: string, to: string, sources?: readonly string[]): Promise<SourceHourCount[]> {
  const hour = kind === 'postgres' ? sql<string>`date_trunc('hour', created_at at time zone 'UTC')` : sql<string>`substr(created_at, 1, 13)`;
  const counts: SourceHourCount[] = [];
  for (const source of sources ?? (await allSources(db))) {
    const rows = await db
      .selectFrom('leads')
      .select([hour.as('hour'), (eb) => eb.fn.countAll<number>().as('leads'), JUNK.as('junk')])
      .where('source', '=', source)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .groupBy(hour)
      .execute();
    for (const r of rows) {
      counts.push({
        source,
        // PostgreSQL answers an ISO instant (see the type parser), SQLite the text "YYYY-MM-DDTHH".
        hourStart: Date.parse(r.hour.length === 13 ? `${r.hour}:00:00.000Z` : r.hour),
        leads: Number(r.leads),
        junk: Number(r.junk ?? 0),
      });
    }
  }
  return counts;
}

/** Leads and junk of each source that arrived at or after `from`: one covering index range per source. */
export async function recentCountsBySource(db: Kysely<Database>, from: string, sources: readonly string[]): Promise<Map<string, { leads: number; junk: number }>> {
  const counts = new Map<string, { leads: number; junk: number }>();
  for (const source of sources) {
    const row = await db
      .selectFrom('leads')
      .select([(eb) => eb.fn.countAll<number>().as('leads'), JUNK.as('junk')])
      .where('source', '=', source)
      .where('created_at', '>=', from)
      .executeTakeFirst();
    if (row && Number(row.leads) > 0) counts.set(source, { leads: Number(row.leads), junk: Number(row.junk ?? 0) });
  }
  return counts;
}

/** When each source's latest lead arrived (one index lookup per source); absent: none ever. */
export async function lastLeadAtBySource(db: Kysely<Database>, sources: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const source of sources) {
    const row = await db.selectFrom('leads').select((eb) => eb.fn.max('created_at').as('at')).where('source', '=', source).executeTakeFirst();
    if (row?.at) found.set(source, String(row.at));
  }
  return found;
}

/** When the first lead of a source after `after` (and at or before `upTo`) arrived; null: none yet. */
export async function firstLeadAfter(db: Kysely<Database>, source: string, after: string, upTo: string): Promise<string | null> {
  const row = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('source', '=', source)
    .where('created_at', '>', after)
    .where('created_at', '<=', upTo)
    .executeTakeFirst();
  return row?.at ? String(row.at) : null;
}

export type IncidentKind = 'silence' | 'junk';

export interface IncidentRecord {
  id: string;
  source: string;
  kind: IncidentKind;
  openedAt: string;
  resolvedAt: string | null;
  details: Record<string, unknown>;
  resolution: Record<string, unknown> | null;
}

function toIncident(r: { id: string; source: string; kind: string; opened_at: string; resolved_at: string | null; details: string; resolution: string | null }): IncidentRecord {
  return {
    id: r.id,
    source: r.source,
    kind: r.kind as IncidentKind,
    openedAt: r.opened_at,
    resolvedAt: r.resolved_at,
    details: readJson<Record<string, unknown>>(r.details, {}),
    resolution: readJson<Record<string, unknown> | null>(r.resolution, null),
  };
}

const INCIDENT_COLUMNS = ['id', 'source', 'kind', 'opened_at', 'resolved_at', 'details', 'resolution'] as const;

export async function openIncidents(db: Kysely<Database>): Promise<IncidentRecord[]> {
  const rows = await db.selectFrom('source_health_incidents').select(INCIDENT_COLUMNS).where('resolved_at', 'is', null).orderBy('opened_at').orderBy('id').execute();
  return rows.map(toIncident);
}

/** Incidents open at any moment of [from, to): opened before `to` and not resolved before `from`. Latest first. */
export async function incidentsDuring(db: Kysely<Database>, from: string, to: string, limit: number): Promise<IncidentRecord[]> {
  const rows = await db
    .selectFrom('source_health_incidents')
    .select(INCIDENT_COLUMNS)
    .where('opened_at', '<', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toIncident);
}

/**
 * Opens an incident unless one of the kind is open for the source already (the partial unique
 * index decides, whatever another process does at the same moment); true when this one opened.
 */
export async function openIncident(db: Kysely<Database>, incident: { id: string; source: string; kind: IncidentKind; openedAt: string; details: unknown }): Promise<boolean> {
  const result = await db
    .insertInto('source_health_incidents')
    .values({ id: incident.id, source: incident.source, kind: incident.kind, opened_at: incident.openedAt, resolved_at: null, details: writeJson(incident.details), resolution: null })
    .onConflict((oc) => oc.columns(['source', 'kind']).where('resolved_at', 'is', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Resolves an open incident; false when it was resolved already (by another process). */
export async function resolveIncident(db: Kysely<Database>, id: string, at: string, resolution: unknown): Promise<boolean> {
  const result = await db.updateTable('source_health_incidents').set({ resolved_at: at, resolution: writeJson(resolution) }).where('id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Serialises source-health checks across processes for the rest of the transaction, like the
 * routing lock: on PostgreSQL the row lock is held until commit, on SQLite the update takes the
 * write lock first, before anything is read.
 */
export async function takeSourceHealthLock(trx: Kysely<Database>, at: string): Promise<void> {
  await trx.updateTable('source_health_lock').set({ checked_at: at }).where('id', '=', 1).execute();
}

export async function lastCheckAt(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('source_health_lock').select('checked_at').where('id', '=', 1).executeTakeFirst();
  return row?.checked_at ?? null;
}

/** Who hears about a source: every active head, each with the language they read in; the admins when there is no head. */
export async function sourceHealthAudience(db: Kysely<Database>): Promise<Array<{ id: string; locale: string | null }>> {
  const heads = await db.selectFrom('users').select(['id', 'locale']).where('active', '=', 1).where('role', '=', 'head').orderBy('id').execute();
  if (heads.length > 0) return heads;
  return await db.selectFrom('users').select(['id', 'locale']).where('active', '=', 1).where('role', '=', 'admin').orderBy('id').execute();
}
