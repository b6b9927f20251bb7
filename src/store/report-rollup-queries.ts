import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Storage of the report rollups (migration 0018): the dirty-lead queue the triggers fill, each
 * lead's stored contribution, the rollup rows and the zones they are kept for. What the rows
 * mean is the business of src/app/reports/rollups.
 */
export interface DirtyLead {
  leadId: string;
  version: number;
}

export interface RollupKey {
  zone: string;
  report: string;
  day: string;
  managerId: string;
  source: string;
  campaign: string;
  ruleId: string;
  extra: string;
}

export interface RollupRow extends RollupKey {
  tally: string;
}

export interface RollupZone {
  zone: string;
  builtAt: string | null;
  cursor: string | null;
}

/** Serialises refreshes across processes for the rest of the transaction (see routing-lock.ts). */
export async function takeRollupLock(trx: Kysely<Database>): Promise<void> {
  await trx.updateTable('report_rollup_state').set({ refreshes: sql`refreshes + 1` }).where('id', '=', 1).execute();
}

export async function dirtyLeads(db: Kysely<Database>, limit: number): Promise<DirtyLead[]> {
  const rows = await db.selectFrom('report_dirty').select(['lead_id', 'version']).where(sql<boolean>`version > done_version`).orderBy('lead_id').limit(limit).execute();
  return rows.map((r) => ({ leadId: r.lead_id, version: Number(r.version) }));
}

/** How many leads wait for a refresh, counted up to `atMost` + 1 (a long queue is not counted to its end). */
export async function dirtyCount(db: Kysely<Database>, atMost: number): Promise<number> {
  const row = await db
    .selectFrom((eb) => eb.selectFrom('report_dirty').select('lead_id').where(sql<boolean>`version > done_version`).limit(atMost + 1).as('d'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The batch's leads still at the version the refresh computed from, inside the refresh's
 * transaction. On PostgreSQL a mark that a writer holds right now (its change is not committed)
 * is skipped rather than waited for, so the refresher never waits on a writer that might wait on it.
 */
export async function unchangedSince(trx: Kysely<Database>, leads: readonly DirtyLead[], kind: 'sqlite' | 'postgres'): Promise<DirtyLead[]> {
  const read = new Map(leads.map((d) => [d.leadId, d.version]));
  const out: DirtyLead[] = [];
  for (let i = 0; i < leads.length; i += 500) {
    const ids = leads.slice(i, i + 500).map((d) => d.leadId);
    let q = trx.selectFrom('report_dirty').select(['lead_id', 'version']).where('lead_id', 'in', ids).orderBy('lead_id');
    if (kind === 'postgres') q = q.forUpdate().skipLocked();
    for (const r of await q.execute()) if (read.get(r.lead_id) === Number(r.version)) out.push({ leadId: r.lead_id, version: Number(r.version) });
  }
  return out;
}

/** Records the versions refreshed (the marks stay, so versions never start over). */
export async function markRefreshed(trx: Kysely<Database>, leads: readonly DirtyLead[]): Promise<void> {
  for (let i = 0; i < leads.length; i += 200) {
    const part = leads.slice(i, i + 200);
    await trx
      .updateTable('report_dirty')
      .set({ done_version: sql`version` })
      .where((eb) => eb.or(part.map((d) => eb.and([eb('lead_id', '=', d.leadId), eb('version', '=', d.version)]))))
      .execute();
  }
}

export async function readLeadFacts(db: Kysely<Database>, leadIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < leadIds.length; i += 500) {
    const rows = await db.selectFrom('report_lead_facts').select(['lead_id', 'facts']).where('lead_id', 'in', leadIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.lead_id, r.facts);
  }
  return out;
}

/** Facts in lead id order after `afterId`, for building a zone's rollups. */
export async function leadFactsAfter(db: Kysely<Database>, afterId: string | null, limit: number): Promise<Array<{ leadId: string; facts: string }>> {
  let q = db.selectFrom('report_lead_facts').select(['lead_id', 'facts']).orderBy('lead_id').limit(limit);
  if (afterId !== null) q = q.where('lead_id', '>', afterId);
  const rows = await q.execute();
  return rows.map((r) => ({ leadId: r.lead_id, facts: r.facts }));
}

export async function writeLeadFacts(trx: Kysely<Database>, facts: ReadonlyMap<string, string | null>): Promise<void> {
  const gone = [...facts].filter(([, f]) => f === null).map(([id]) => id);
  const kept = [...facts].flatMap(([lead_id, f]) => (f === null ? [] : [{ lead_id, facts: f }]));
  for (let i = 0; i < gone.length; i += 500) await trx.deleteFrom('report_lead_facts').where('lead_id', 'in', gone.slice(i, i + 500)).execute();
  for (let i = 0; i < kept.length; i += 500) {
    await trx
      .insertInto('report_lead_facts')
      .values(kept.slice(i, i + 500))
      .onConflict((oc) => oc.column('lead_id').doUpdateSet((eb) => ({ facts: eb.ref('excluded.facts') })))
      .execute();
  }
}

const KEY_COLUMNS = ['zone', 'report', 'day', 'manager_id', 'source', 'campaign', 'rule_id', 'extra'] as const;

function rowOf(r: { zone: string; report: string; day: string; manager_id: string; source: string; campaign: string; rule_id: string; extra: string; tally: string }): RollupRow {
  return { zone: r.zone, report: r.report, day: r.day, managerId: r.manager_id, source: r.source, campaign: r.campaign, ruleId: r.rule_id, extra: r.extra, tally: r.tally };
}

/** The stored rows of the given keys (the ones a refresh is about to change). */
export async function rollupRowsOf(trx: Kysely<Database>, keys: readonly RollupKey[]): Promise<RollupRow[]> {
  const out: RollupRow[] = [];
  for (let i = 0; i < keys.length; i += 400) {
    const part = keys.slice(i, i + 400);
    const values = sql.join(part.map((k) => sql`(${k.zone}, ${k.report}, ${k.day}, ${k.managerId}, ${k.source}, ${k.campaign}, ${k.ruleId}, ${k.extra})`));
    const rows = await trx
      .selectFrom('report_rollups')
      .selectAll()
      .where(sql<boolean>`(zone, report, day, manager_id, source, campaign, rule_id, extra) IN (VALUES ${values})`)
      .execute();
    out.push(...rows.map(rowOf));
  }
  return out;
}

/** Writes changed rows and deletes the ones that summed to nothing. */
export async function saveRollupRows(trx: Kysely<Database>, changed: readonly RollupRow[], emptied: readonly RollupKey[]): Promise<void> {
  for (let i = 0; i < emptied.length; i += 400) {
    const part = emptied.slice(i, i + 400);
    const values = sql.join(part.map((k) => sql`(${k.zone}, ${k.report}, ${k.day}, ${k.managerId}, ${k.source}, ${k.campaign}, ${k.ruleId}, ${k.extra})`));
    await trx.deleteFrom('report_rollups').where(sql<boolean>`(zone, report, day, manager_id, source, campaign, rule_id, extra) IN (VALUES ${values})`).execute();
  }
  for (let i = 0; i < changed.length; i += 500) {
    await trx
      .insertInto('report_rollups')
      .values(changed.slice(i, i + 500).map((r) => ({ zone: r.zone, report: r.report, day: r.day, manager_id: r.managerId, source: r.source, campaign: r.campaign, rule_id: r.ruleId, extra: r.extra, tally: r.tally })))
      .onConflict((oc) => oc.columns([...KEY_COLUMNS]).doUpdateSet((eb) => ({ tally: eb.ref('excluded.tally') })))
      .execute();
  }
}

export interface RollupSlice {
  zone: string;
  report: string;
  /** Local days, `to` exclusive. */
  fromDay: string;
  toDay: string;
  source: string | null;
  ruleId: string | null;
  /** Only these managers' rows. */
  managerIds?: readonly string[] | undefined;
  /** Only rows with this extra key. */
  extra?: string | undefined;
}

/** The rows a report reads: one zone and report, a range of days, optionally one source and one rule. */
export async function rollupRowsIn(db: Kysely<Database>, s: RollupSlice): Promise<RollupRow[]> {
  // The zone and report are the slice's: not read back for every row.
  let q = db
    .selectFrom('report_rollups')
    .select(['day', 'manager_id', 'source', 'campaign', 'rule_id', 'extra', 'tally'])
    .where('zone', '=', s.zone)
    .where('report', '=', s.report)
    .where('day', '>=', s.fromDay)
    .where('day', '<', s.toDay);
  if (s.source !== null) q = q.where('source', '=', s.source);
  if (s.ruleId !== null) q = q.where('rule_id', '=', s.ruleId);
  if (s.managerIds !== undefined) q = q.where('manager_id', 'in', s.managerIds.length > 0 ? [...s.managerIds] : ['']);
  if (s.extra !== undefined) q = q.where('extra', '=', s.extra);
  const rows = await q.execute();
  return rows.map((r) => rowOf({ ...r, zone: s.zone, report: s.report }));
}

/**
 * Σ per manager of a rollup whose tally is one integer (stored as its JSON text), over every day
 * before `beforeDay`: where a running count stood when a period began.
 */
export async function rollupSumsBefore(db: Kysely<Database>, s: { zone: string; report: string; beforeDay: string; source: string | null }): Promise<Map<string, number>> {
  let q = db
    .selectFrom('report_rollups')
    .select(['manager_id', sql<number>`sum(cast(tally as integer))`.as('total')])
    .where('zone', '=', s.zone)
    .where('report', '=', s.report)
    .where('day', '<', s.beforeDay)
    .groupBy('manager_id');
  if (s.source !== null) q = q.where('source', '=', s.source);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.manager_id, Number(r.total)]));
}

export async function rollupZones(db: Kysely<Database>): Promise<RollupZone[]> {
  const rows = await db.selectFrom('report_rollup_zones').selectAll().orderBy('zone').execute();
  return rows.map((r) => ({ zone: r.zone, builtAt: r.built_at, cursor: r.cursor }));
}

export async function addRollupZone(trx: Kysely<Database>, zone: string, builtAt: string | null): Promise<void> {
  await trx.insertInto('report_rollup_zones').values({ zone, built_at: builtAt, cursor: null }).onConflict((oc) => oc.column('zone').doNothing()).execute();
}

export async function advanceZoneBuild(trx: Kysely<Database>, zone: string, cursor: string | null, builtAt: string | null): Promise<void> {
  await trx.updateTable('report_rollup_zones').set({ cursor, built_at: builtAt }).where('zone', '=', zone).execute();
}

/** Whether nothing has been computed yet (a fresh or just-migrated database): a zone added now is complete at once. */
export async function rollupsAreEmpty(db: Kysely<Database>): Promise<boolean> {
  const [facts, rows] = await Promise.all([
    db.selectFrom('report_lead_facts').select('lead_id').limit(1).executeTakeFirst(),
    db.selectFrom('report_rollups').select('zone').limit(1).executeTakeFirst(),
  ]);
  return facts === undefined && rows === undefined;
}

/** Starts over: every lead dirty (its version moved on), no facts, no rollups, no zones (the rebuild command). */
export async function resetRollups(trx: Kysely<Database>): Promise<void> {
  await trx.updateTable('report_rollup_state').set({ resets: sql`resets + 1` }).where('id', '=', 1).execute();
  await trx.deleteFrom('report_rollups').execute();
  await trx.deleteFrom('report_lead_facts').execute();
  await trx.deleteFrom('report_rollup_zones').execute();
  await trx.deleteFrom('report_unsettled').execute();
  await sql`INSERT INTO report_dirty (lead_id, version) SELECT id, 1 FROM leads WHERE true ON CONFLICT (lead_id) DO UPDATE SET version = report_dirty.version + 1`.execute(trx);
}

export interface UnsettledLead {
  leadId: string;
  report: string;
  settlesAt: string;
}

/** Replaces the unsettled entries of the given leads (all reports) with the new ones. */
export async function replaceUnsettled(trx: Kysely<Database>, leadIds: readonly string[], entries: readonly UnsettledLead[]): Promise<void> {
  for (let i = 0; i < leadIds.length; i += 500) await trx.deleteFrom('report_unsettled').where('lead_id', 'in', leadIds.slice(i, i + 500)).execute();
  for (let i = 0; i < entries.length; i += 500) {
    await trx
      .insertInto('report_unsettled')
      .values(entries.slice(i, i + 500).map((e) => ({ lead_id: e.leadId, report: e.report, settles_at: e.settlesAt })))
      .execute();
  }
}

/** The unsettled leads of a report among those that arrived in a period (ISO instants, `to` exclusive), of one source if given. */
export async function unsettledLeads(db: Kysely<Database>, report: string, arrived: { from: string; to: string; source: string | null }): Promise<string[]> {
  let q = db
    .selectFrom('report_unsettled as u')
    .innerJoin('leads as l', 'l.id', 'u.lead_id')
    .select('u.lead_id')
    .where('u.report', '=', report)
    .where('l.created_at', '>=', arrived.from)
    .where('l.created_at', '<', arrived.to);
  if (arrived.source !== null) q = q.where('l.source', '=', arrived.source);
  const rows = await q.orderBy('u.lead_id').execute();
  return rows.map((r) => r.lead_id);
}

/** Marks dirty the leads whose figures have settled by `now`, so the refresher moves them into the rollups. */
export async function markSettledDirty(db: Kysely<Database>, now: string): Promise<void> {
  await sql`INSERT INTO report_dirty (lead_id, version) SELECT DISTINCT lead_id, 1 FROM report_unsettled WHERE settles_at <= ${now} ORDER BY lead_id ON CONFLICT (lead_id) DO UPDATE SET version = report_dirty.version + 1`.execute(db);
}

export async function configVersions(db: Kysely<Database>): Promise<{ current: number; built: number; resets: number }> {
  const row = await db.selectFrom('report_rollup_state').select(['config_version', 'built_config_version', 'resets']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { current: Number(row.config_version), built: Number(row.built_config_version), resets: Number(row.resets) };
}

export async function setBuiltConfigVersion(trx: Kysely<Database>, version: number): Promise<void> {
  await trx.updateTable('report_rollup_state').set({ built_config_version: version }).where('id', '=', 1).execute();
}
