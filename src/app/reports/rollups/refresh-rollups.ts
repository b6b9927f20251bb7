import type { Kysely } from 'kysely';
import {
  addRollupZone,
  advanceZoneBuild,
  configVersions,
  markRefreshed,
  markSettledDirty,
  replaceUnsettled,
  setBuiltConfigVersion,
  dirtyLeads,
  leadFactsAfter,
  readLeadFacts,
  resetRollups,
  rollupRowsOf,
  rollupsAreEmpty,
  rollupZones,
  saveRollupRows,
  takeRollupLock,
  unchangedSince,
  writeLeadFacts,
  type RollupKey,
  type RollupRow,
  type RollupZone,
} from '../../../store/report-rollup-queries.js';
import { reportTeams } from '../../../store/report-queries.js';
import type { Database } from '../../../store/schema.js';
import type { AppContext } from '../../app-context.js';
import { loadLeadBundle } from '../lead-cohort.js';
import { loadReportEnvironment, type ReportEnvironment } from '../report-environment.js';
import { reportSettings } from '../report-settings.js';
import { keyText, leadFactsOf, parseLeadFacts, projectedKeyOf, rollupKeyOf, ZoneDays, type LeadFacts } from './lead-facts.js';
import { ROLLUP_REPORT_NAMES, rollupReport, type RollupReportName } from './rollup-reports.js';

/** Leads refreshed per transaction: short enough that intake barely waits for the write lock. */
export const REFRESH_BATCH = 250;
/**
 * Leads per transaction when everything is recomputed: fewer, larger transactions, and the rows
 * that many leads share (a day of a manager, a team, a source) are read and written once per batch.
 */
export const REBUILD_BATCH = 5_000;
/** Facts added per transaction while a new zone's rollups are built. */
const BUILD_BATCH = 2_000;

export interface RefreshOutcome {
  /** Leads whose facts were recomputed. */
  refreshed: number;
  /** Leads still waiting (0 when the queue was drained). */
  left: number;
}

/**
 * Brings the rollups up to date: first every zone the reports are read in gets its rollups
 * (built from the stored facts when it is new), then the dirty leads are recomputed, at most
 * `maxLeads` of them. Safe in several processes at once: each transaction first takes the
 * rollup lock and applies only the leads still at the version their facts were computed from;
 * the others stay dirty for the next pass.
 *
 * `paced` (the background refresher) pauses after each batch as long as it took.
 * `housekeeping: false` (a report refreshing before it reads) does only the last part, and tells
 * by `left` > 0 that the background refresher has work the report should not wait for (calendars
 * changed, a zone to build).
 */
export async function refreshRollups(ctx: AppContext, options: { maxLeads?: number; batch?: number; housekeeping?: boolean; paced?: boolean } = {}): Promise<RefreshOutcome> {
  if (options.housekeeping === false) {
    const versions = await configVersions(ctx.store.db);
    if (versions.current !== versions.built) return { refreshed: 0, left: 1 };
  } else {
    await startOverIfConfigChanged(ctx);
    await ensureZones(ctx);
    await markSettledDirty(ctx.store.db, ctx.now().toISOString());
  }
  const { built: computedWith } = await configVersions(ctx.store.db);
  const env = await loadReportEnvironment(ctx);
  const maxLeads = options.maxLeads ?? Number.POSITIVE_INFINITY;
  let refreshed = 0;
  for (;;) {
    const started = Date.now();
    const batch = await dirtyLeads(ctx.store.db, Math.min(options.batch ?? REFRESH_BATCH, maxLeads - refreshed));
    if (batch.length === 0) return { refreshed, left: 0 };
    const ids = batch.map((d) => d.leadId);
    // Computed before the transaction so the lock is held only to merge.
    const { facts, unsettled } = leadFactsOf(await loadLeadBundle(ctx, { ids }, null, { everything: true }), ids, env);
    await ctx.store.db.transaction().execute(async (trx) => {
      await takeRollupLock(trx);
      // Calendars or teams changed since `env` was read: leave the batch dirty; the next pass starts over.
      const versions = await configVersions(trx);
      if (versions.current !== versions.built || versions.built !== computedWith) return;
      const fresh = await unchangedSince(trx, batch, ctx.store.kind);
      const freshIds = fresh.map((d) => d.leadId);
      const zones = await rollupZones(trx);
      const before = await readLeadFacts(trx, freshIds);
      const deltas = new RollupDeltas(env);
      for (const id of freshIds) {
        const old = parseLeadFacts(before.get(id));
        const now = facts.get(id) ?? {};
        for (const zone of zones) {
          if (!covers(zone, id)) continue;
          const days = new ZoneDays(zone.zone);
          deltas.add(days, old, -1);
          deltas.add(days, now, 1);
        }
      }
      await deltas.save(trx);
      await writeLeadFacts(trx, new Map(freshIds.map((id) => [id, (f => (f === null || f === undefined ? null : JSON.stringify(f)))(facts.get(id))])));
      const kept = new Set(freshIds);
      await replaceUnsettled(trx, freshIds, unsettled.filter((u) => kept.has(u.leadId)));
      await markRefreshed(trx, fresh);
    });
    refreshed += batch.length;
    // In the background, every batch is followed by as long a pause: requests get at least half the event loop.
    if (options.paced) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, Date.now() - started)));
    if (refreshed >= maxLeads) {
      const more = await dirtyLeads(ctx.store.db, 1);
      return { refreshed, left: more.length };
    }
  }
}

/**
 * Calendars, SLA policies or teams changed since the stored facts were computed (a trigger bumps
 * the version): every lead is recomputed, and reports read raw rows until the refresher is done.
 */
async function startOverIfConfigChanged(ctx: AppContext): Promise<void> {
  const versions = await configVersions(ctx.store.db);
  if (versions.current === versions.built) return;
  await ctx.store.db.transaction().execute(async (trx) => {
    await takeRollupLock(trx);
    const now = await configVersions(trx);
    if (now.current === now.built) return;
    await resetRollups(trx);
    await setBuiltConfigVersion(trx, now.current);
  });
}

/** Whether a zone's rollups hold this lead's stored facts (all of them once built; up to the cursor while building). */
function covers(zone: RollupZone, leadId: string): boolean {
  return zone.builtAt !== null || (zone.cursor !== null && leadId <= zone.cursor);
}

/** The zones reports are read in by default: the company's and every team's. */
export async function wantedZones(ctx: AppContext): Promise<string[]> {
  const [settings, teams] = await Promise.all([reportSettings(ctx), reportTeams(ctx.store.db)]);
  return [...new Set([settings.timeZone, ...teams.map((t) => t.timeZone)])].sort();
}

/** Adds the zones not kept yet and builds them from the stored facts. */
async function ensureZones(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  const kept = new Map((await rollupZones(db)).map((z) => [z.zone, z]));
  const missing = (await wantedZones(ctx)).filter((z) => !kept.has(z));
  if (missing.length > 0) {
    await db.transaction().execute(async (trx) => {
      await takeRollupLock(trx);
      // Nothing computed yet: the new zones are complete as they are (empty, like the facts).
      const complete = await rollupsAreEmpty(trx);
      for (const zone of missing) await addRollupZone(trx, zone, complete ? ctx.now().toISOString() : null);
    });
  }
  for (const zone of await rollupZones(db)) if (zone.builtAt === null) await buildZone(ctx, zone.zone);
}

async function buildZone(ctx: AppContext, zoneName: string): Promise<void> {
  const days = new ZoneDays(zoneName);
  const env = await loadReportEnvironment(ctx);
  for (;;) {
    const done = await ctx.store.db.transaction().execute(async (trx) => {
      await takeRollupLock(trx);
      const zone = (await rollupZones(trx)).find((z) => z.zone === zoneName);
      if (!zone || zone.builtAt !== null) return true;
      const facts = await leadFactsAfter(trx, zone.cursor, BUILD_BATCH);
      const deltas = new RollupDeltas(env);
      for (const f of facts) deltas.add(days, parseLeadFacts(f.facts), 1);
      await deltas.save(trx);
      const last = facts.at(-1)?.leadId ?? zone.cursor;
      const finished = facts.length < BUILD_BATCH;
      await advanceZoneBuild(trx, zoneName, last, finished ? ctx.now().toISOString() : null);
      return finished;
    });
    if (done) return;
  }
}

/** Recomputes everything from the raw records (`leadrouter rebuild-rollups`). */
export async function rebuildRollups(ctx: AppContext, onProgress?: (refreshed: number) => void): Promise<number> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await takeRollupLock(trx);
    await resetRollups(trx);
    await setBuiltConfigVersion(trx, (await configVersions(trx)).current);
  });
  let total = 0;
  for (;;) {
    const { refreshed, left } = await refreshRollups(ctx, { maxLeads: 20_000, batch: REBUILD_BATCH });
    total += refreshed;
    onProgress?.(total);
    if (left === 0) return total;
  }
}

/** Changes to rollup rows, summed per key before they are written. */
class RollupDeltas {
  private readonly byKey = new Map<string, { key: RollupKey; report: RollupReportName; tally: unknown }>();

  /** The team a projection files a manager's cells under: the calendars' and teams' version the facts were computed with. */
  constructor(private readonly env: ReportEnvironment) {}

  add(days: ZoneDays, facts: LeadFacts, sign: number): void {
    for (const name of ROLLUP_REPORT_NAMES) {
      const report = rollupReport(name);
      for (const stored of facts[name] ?? []) {
        const tally = report.kind.decode(stored[6]);
        this.merge(rollupKeyOf(days, name, stored), name, tally, sign);
        for (const projection of report.projections ?? []) {
          const cell = projection.project([stored[0], stored[1], stored[2], stored[3], stored[4], stored[5]], this.env, days.zone);
          this.merge(projectedKeyOf(days, `${name}:${projection.name}`, cell), name, tally, sign);
        }
      }
    }
  }

  private merge(key: RollupKey, report: RollupReportName, tally: unknown, sign: number): void {
    const kind = rollupReport(report).kind;
    const text = keyText(key);
    let entry = this.byKey.get(text);
    if (!entry) {
      entry = { key, report, tally: kind.empty() };
      this.byKey.set(text, entry);
    }
    kind.merge(entry.tally, tally, sign);
  }

  async save(trx: Kysely<Database>): Promise<void> {
    const entries = [...this.byKey.values()].filter((e) => !rollupReport(e.report).kind.isEmpty(e.tally));
    if (entries.length === 0) return;
    const stored = new Map((await rollupRowsOf(trx, entries.map((e) => e.key))).map((r) => [keyText(r), r]));
    const changed: RollupRow[] = [];
    const emptied: RollupKey[] = [];
    for (const e of entries) {
      const kind = rollupReport(e.report).kind;
      const row = stored.get(keyText(e.key));
      const tally = row ? kind.decode(JSON.parse(row.tally)) : kind.empty();
      kind.merge(tally, e.tally, 1);
      if (kind.isEmpty(tally)) {
        if (row) emptied.push(e.key);
      } else changed.push({ ...e.key, tally: JSON.stringify(kind.encode(tally)) });
    }
    await saveRollupRows(trx, changed, emptied);
  }
}
