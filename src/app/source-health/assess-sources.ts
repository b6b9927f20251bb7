import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { thresholdsOf, type SourceHealthSettings, type SourceThresholds } from '../../core/source-health/thresholds.js';
import { DAY_MS, HOUR_MS, HourGrid, judgeJunk, judgeSilence, usualVolume, type HourCount, type JunkVerdict, type SilenceVerdict, type UsualVolume } from '../../core/source-health/usual-volume.js';
import type { DatabaseKind } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import { hourlyCountsBySource, lastLeadAtBySource, recentCountsBySource } from '../../store/source-health-queries.js';

/** The whole weeks before the local day of `now` that the usual volume is counted over. */
export function lookbackWindow(settings: SourceHealthSettings, now: Date): { from: number; to: number } {
  const today = DateTime.fromJSDate(now, { zone: settings.timeZone }).startOf('day');
  return { from: today.minus({ weeks: settings.lookbackWeeks }).toMillis(), to: today.toMillis() };
}

export interface Baseline {
  window: { from: number; to: number };
  grid: HourGrid;
  bySource: Map<string, UsualVolume>;
}

/**
 * The usual volume of every source that sent a lead in the lookback window. It changes only
 * with the day (today's leads are not part of it), so a process keeps it for up to an hour —
 * junk marked meanwhile and back-dated imports show up after that.
 */
export class BaselineCache {
  private cached: { key: string; until: number; baseline: Baseline } | null = null;

  constructor(private readonly ttlMs = HOUR_MS) {}

  async get(db: Kysely<Database>, kind: DatabaseKind, settings: SourceHealthSettings, now: Date): Promise<Baseline> {
    const window = lookbackWindow(settings, now);
    const key = `${settings.timeZone}|${window.from}|${window.to}`;
    if (this.cached && this.cached.key === key && this.cached.until > now.getTime()) return this.cached.baseline;
    const baseline = await readBaseline(db, kind, settings.timeZone, window, now);
    this.cached = { key, until: now.getTime() + this.ttlMs, baseline };
    return baseline;
  }
}

async function readBaseline(db: Kysely<Database>, kind: DatabaseKind, zone: string, window: { from: number; to: number }, now: Date): Promise<Baseline> {
  // Slots for the window and up to two days past now (a check, a report ending now).
  const grid = new HourGrid(window.from, Math.max(window.to, now.getTime()) + 2 * DAY_MS, zone);
  const rows = await hourlyCountsBySource(db, kind, new Date(window.from).toISOString(), new Date(window.to).toISOString());
  const counts = new Map<string, HourCount[]>();
  for (const r of rows) {
    const list = counts.get(r.source);
    const c = { hourStart: r.hourStart, leads: r.leads, junk: r.junk };
    if (list) list.push(c);
    else counts.set(r.source, [c]);
  }
  const bySource = new Map<string, UsualVolume>();
  for (const [source, list] of counts) bySource.set(source, usualVolume(list, window, grid));
  return { window, grid, bySource };
}

export interface SourceAssessment {
  source: string;
  thresholds: SourceThresholds;
  usual: UsualVolume;
  /** Too little history to know the usual: never alerts. */
  learning: boolean;
  lastLeadAt: string | null;
  silence: SilenceVerdict;
  junk: JunkVerdict;
}

/** Judges one source now from its usual volume, its last lead and its recent leads. */
export function assessSource(
  settings: SourceHealthSettings,
  baseline: Baseline,
  source: string,
  lastLeadAt: string | null,
  recent: { leads: number; junk: number },
  now: Date,
): SourceAssessment {
  const thresholds = thresholdsOf(settings, source);
  const usual = baseline.bySource.get(source) ?? usualVolume([], baseline.window, baseline.grid);
  const since = lastLeadAt !== null ? Date.parse(lastLeadAt) : baseline.window.from;
  return {
    source,
    thresholds,
    usual,
    learning: usual.historyHours < settings.minHistoryDays * 24,
    lastLeadAt,
    silence: judgeSilence(usual, baseline.grid, Math.max(since, baseline.window.from), now.getTime(), thresholds),
    junk: judgeJunk(usual, recent, thresholds),
  };
}

/** Every source with a usual volume, plus `also` (sources with open incidents, …), judged now. */
export async function assessSources(db: Kysely<Database>, baseline: Baseline, settings: SourceHealthSettings, now: Date, also: Iterable<string> = []): Promise<SourceAssessment[]> {
  const sources = [...new Set([...baseline.bySource.keys(), ...also])].sort();
  const recent = await recentCountsBySource(db, new Date(now.getTime() - settings.junkWindowHours * HOUR_MS).toISOString(), sources);
  const lastLeads = await lastLeadAtBySource(db, sources);
  return sources.map((source) => assessSource(settings, baseline, source, lastLeads.get(source) ?? null, recent.get(source) ?? { leads: 0, junk: 0 }, now));
}
