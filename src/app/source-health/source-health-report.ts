import { DateTime } from 'luxon';
import { thresholdsOf, type SourceHealthSettings, type SourceThresholds } from '../../core/source-health/thresholds.js';
import { floorToHour, HOUR_MS } from '../../core/source-health/usual-volume.js';
import { allSources, hourlyCountsBySource, incidentsDuring, lastCheckAt, openIncidents, type IncidentRecord } from '../../store/source-health-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { assessSources, BaselineCache, type SourceAssessment } from './assess-sources.js';
import { loadSourceHealthSettings } from './source-health-settings.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The longest period the hourly report covers. */
export const MAX_REPORT_DAYS = 31;
const MAX_INCIDENTS = 200;

/**
 * ok: sending as usual; silent / junk_spike: an incident is open; learning: too little history
 * to know its usual; off_hours: not one of its own hours now (no alert could go out).
 */
export type SourceState = 'ok' | 'silent' | 'junk_spike' | 'learning' | 'off_hours';

export interface IncidentView {
  id: string;
  source: string;
  kind: 'silence' | 'junk';
  openedAt: string;
  resolvedAt: string | null;
  details: Record<string, unknown>;
  resolution: Record<string, unknown> | null;
}

export interface SourceHealthRow {
  source: string;
  state: SourceState;
  thresholds: SourceThresholds;
  lastLeadAt: string | null;
  /** Leads it usually sends in the hour of the week now. */
  usualPerHourNow: number;
  /** Whether the hour now is one of its own hours (usually at least minExpectedPerHour). */
  ownHourNow: boolean;
  silence: { hours: number; ownHours: number; expected: number; probability: number };
  junk: { windowHours: number; recentLeads: number; recentJunk: number; recentRate: number | null; usualRate: number | null; probability: number | null };
  period: { leads: number; usual: number };
  /** One entry per hour of the period: leads that arrived and leads usual for that hour of the week. */
  hours: Array<{ hourStart: string; leads: number; usual: number }>;
  openIncidents: IncidentView[];
}

export interface SourceHealthReport {
  timeZone: string;
  from: string;
  to: string;
  /** The whole weeks the usual volume is counted over. */
  usualFrom: string;
  usualTo: string;
  /** When a check last ran (any process); null: never. */
  checkedAt: string | null;
  sources: SourceHealthRow[];
  /** Incidents open at some moment of the period, latest first (at most 200). */
  incidents: IncidentView[];
}

const reportCache = new WeakMap<AppContext, BaselineCache>();

function baselineCacheOf(ctx: AppContext): BaselineCache {
  let cache = reportCache.get(ctx);
  if (!cache) reportCache.set(ctx, (cache = new BaselineCache()));
  return cache;
}

/** Every source a lead names (walked along the index), and those named in the settings. */
export async function knownSources(ctx: AppContext, settings: SourceHealthSettings): Promise<Array<{ source: string; thresholds: SourceThresholds; own: boolean }>> {
  const names = [...new Set([...(await allSources(ctx.store.db)), ...Object.keys(settings.sources)])].sort();
  return names.map((source) => ({ source, thresholds: thresholdsOf(settings, source), own: source in settings.sources }));
}

/**
 * Per source: leads per hour of [from, to) against its usual for that hour of the week, where
 * it stands now, and the incidents of the period. `from` and `to` are instants, or local dates
 * in the company's zone (both included). The period defaults to the last 24 hours; it is
 * widened to whole hours and may span at most 31 days.
 */
export async function sourceHealthReport(ctx: AppContext, query: { from?: string; to?: string; source?: string }): Promise<SourceHealthReport> {
  const now = ctx.now();
  const db = ctx.store.db;
  const settings = await loadSourceHealthSettings(db);
  // A date is a whole local day in the company's zone: `from` its start, `to` its end.
  const instant = (value: string, end: boolean): number =>
    DATE.test(value) ? DateTime.fromISO(value, { zone: settings.timeZone }).plus({ days: end ? 1 : 0 }).toMillis() : Date.parse(value);
  const to = Math.ceil((query.to ? instant(query.to, true) : now.getTime()) / HOUR_MS) * HOUR_MS;
  const from = floorToHour(query.from ? instant(query.from, false) : to - 24 * HOUR_MS);
  if (from >= to) throw new LeadRouterError('LR_ERR_VALIDATION', '`from` must be before `to`', [{ path: 'from', code: 'period_empty', message: 'from must be before to' }]);
  // A day longer by a DST change still fits.
  if (to - from > MAX_REPORT_DAYS * 24 * HOUR_MS + HOUR_MS) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `The period may span at most ${MAX_REPORT_DAYS} days`, [{ path: 'to', code: 'period_too_long', message: `at most ${MAX_REPORT_DAYS} days from \`from\`` }]);
  }
  const baseline = await baselineCacheOf(ctx).get(db, ctx.store.kind, settings, now);
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  const counts = await hourlyCountsBySource(db, ctx.store.kind, fromIso, toIso, query.source !== undefined ? [query.source] : undefined);
  const open = await openIncidents(db);
  const also = [...counts.map((c) => c.source), ...open.map((i) => i.source)];
  const assessed = (await assessSources(db, baseline, settings, now, query.source !== undefined ? [query.source] : also)).filter((a) => query.source === undefined || a.source === query.source);
  const incidents = (await incidentsDuring(db, fromIso, toIso, MAX_INCIDENTS)).filter((i) => query.source === undefined || i.source === query.source);

  const bySourceHour = new Map<string, number>();
  for (const c of counts) bySourceHour.set(`${c.source}|${c.hourStart}`, c.leads);
  const rows = assessed.map((a): SourceHealthRow => {
    const hours: SourceHealthRow['hours'] = [];
    let leads = 0;
    let usual = 0;
    for (let h = from; h < to; h += HOUR_MS) {
      const n = bySourceHour.get(`${a.source}|${h}`) ?? 0;
      const u = a.usual.perHour[baseline.grid.slotAt(h)] ?? 0;
      hours.push({ hourStart: new Date(h).toISOString(), leads: n, usual: round(u) });
      leads += n;
      usual += u;
    }
    const own = open.filter((i) => i.source === a.source).map(view);
    return {
      source: a.source,
      state: stateOf(a, own),
      thresholds: a.thresholds,
      lastLeadAt: a.lastLeadAt,
      usualPerHourNow: round(a.silence.expectedPerHourNow),
      ownHourNow: a.silence.usualNow,
      silence: { hours: round(a.silence.silentHours), ownHours: round(a.silence.silentUsualHours), expected: round(a.silence.expected), probability: a.silence.probability },
      junk: { windowHours: settings.junkWindowHours, recentLeads: a.junk.recentLeads, recentJunk: a.junk.recentJunk, recentRate: a.junk.recentRate, usualRate: a.junk.usualRate, probability: a.junk.probability },
      period: { leads, usual: round(usual) },
      hours,
      openIncidents: own,
    };
  });
  return {
    timeZone: settings.timeZone,
    from: fromIso,
    to: toIso,
    usualFrom: new Date(baseline.window.from).toISOString(),
    usualTo: new Date(baseline.window.to).toISOString(),
    checkedAt: await lastCheckAt(db),
    sources: rows,
    incidents: incidents.map(view),
  };
}

function stateOf(a: SourceAssessment, open: IncidentView[]): SourceState {
  if (open.some((i) => i.kind === 'silence')) return 'silent';
  if (open.some((i) => i.kind === 'junk')) return 'junk_spike';
  if (a.learning) return 'learning';
  if (!a.silence.usualNow) return 'off_hours';
  return 'ok';
}

function view(i: IncidentRecord): IncidentView {
  return { id: i.id, source: i.source, kind: i.kind, openedAt: i.openedAt, resolvedAt: i.resolvedAt, details: i.details, resolution: i.resolution };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
