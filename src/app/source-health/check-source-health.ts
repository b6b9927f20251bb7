import type { Kysely } from 'kysely';
import type { SourceHealthSettings } from '../../core/source-health/thresholds.js';
import { HOUR_MS } from '../../core/source-health/usual-volume.js';
import { enqueueOutbox } from '../../store/journal-queries.js';
import type { Database } from '../../store/schema.js';
import {
  firstLeadAfter,
  lastLeadAtBySource,
  openIncident,
  openIncidents,
  resolveIncident,
  sourceHealthAudience,
  takeSourceHealthLock,
  type IncidentRecord,
} from '../../store/source-health-queries.js';
import type { AppContext } from '../app-context.js';
import type { Topic } from '../notifications/topics.js';
import { assessSource, assessSources, BaselineCache, type SourceAssessment } from './assess-sources.js';
import { localeOf, sourceHealthText, type Locale, type SourceHealthMessage } from './source-health-messages.js';
import { loadSourceHealthSettings } from './source-health-settings.js';

export interface SourceHealthCheckReport {
  sources: number;
  /** Incidents opened (each told to the heads once). */
  opened: number;
  /** Incidents resolved (each with one recovery message). */
  resolved: number;
}

/**
 * One source-health check: judges every source against its usual volume, opens an incident
 * for a source gone silent in its own hours or whose junk share jumped, and resolves one
 * whose source sends again or whose junk is back to usual — each opening and each recovery
 * told to the heads once, through the outbox, in their language.
 *
 * Safe in several processes at once: the figures are read first, then the decisions are
 * made in one transaction under the source-health lock, re-reading the open incidents and
 * each source's last lead; an incident opens only if none of its kind is open for the source
 * (a partial unique index), and resolves only if still open.
 */
export async function checkSourceHealth(ctx: AppContext, cache: BaselineCache = new BaselineCache()): Promise<SourceHealthCheckReport> {
  const db = ctx.store.db;
  const settings = await loadSourceHealthSettings(db);
  const now = ctx.now();
  const baseline = await cache.get(db, ctx.store.kind, settings, now);
  const open = await openIncidents(db);
  const assessed = await assessSources(db, baseline, settings, now, open.map((i) => i.source));
  const report: SourceHealthCheckReport = { sources: assessed.length, opened: 0, resolved: 0 };
  const needsAction = (a: SourceAssessment): boolean =>
    open.some((i) => i.source === a.source) || (!a.learning && a.thresholds.alerts && a.silence.usualNow && (a.silence.silent || a.junk.spiking));
  const candidates = assessed.filter(needsAction);
  if (candidates.length === 0) {
    // Nothing to decide: only when the check ran is recorded (the report shows it).
    await takeSourceHealthLock(db, now.toISOString());
    return report;
  }

  await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    await takeSourceHealthLock(trx, at);
    // What another process committed before the lock was ours: its incidents, the leads that arrived.
    const openNow = await openIncidents(trx);
    const lastLeads = await lastLeadAtBySource(trx, candidates.map((c) => c.source));
    const audience = await sourceHealthAudience(trx);
    const tell = async (topic: Topic, incident: { id: string; source: string; kind: string }, message: SourceHealthMessage, details: Record<string, unknown>): Promise<void> => {
      await enqueueMessages(ctx, trx, audience, settings, now, topic, incident, message, details);
    };
    for (const stale of candidates) {
      const lastLeadAt = lastLeads.get(stale.source) ?? null;
      const a = lastLeadAt === stale.lastLeadAt ? stale : assessSource(settings, baseline, stale.source, lastLeadAt, { leads: stale.junk.recentLeads, junk: stale.junk.recentJunk }, now);
      const silence = openNow.find((i) => i.source === a.source && i.kind === 'silence');
      const junk = openNow.find((i) => i.source === a.source && i.kind === 'junk');
      if (silence) {
        if (await resolveSilence(trx, silence, a, at, tell)) report.resolved += 1;
      } else if (mayAlert(a) && a.silence.silent) {
        const details = silenceDetails(a);
        const incident = { id: ctx.newId(), source: a.source, kind: 'silence' as const, openedAt: at, details };
        if (await openIncident(trx, incident)) {
          report.opened += 1;
          await tell('source.silent', incident, { kind: 'silent', source: a.source, lastLeadAt: a.lastLeadAt, silentHours: a.silence.silentHours, expectedPerHour: a.silence.expectedPerHourNow }, details);
        }
      }
      if (junk) {
        if (a.junk.normal && (await resolveIncident(trx, junk.id, at, junkDetails(a, settings)))) {
          report.resolved += 1;
          await tell('source.recovered', junk, { kind: 'junk_over', source: a.source, recentRate: a.junk.recentRate ?? 0, usualRate: a.junk.usualRate ?? 0, windowHours: settings.junkWindowHours }, junkDetails(a, settings));
        }
      } else if (mayAlert(a) && a.junk.spiking) {
        const details = junkDetails(a, settings);
        const incident = { id: ctx.newId(), source: a.source, kind: 'junk' as const, openedAt: at, details };
        if (await openIncident(trx, incident)) {
          report.opened += 1;
          await tell(
            'source.junk_spike',
            incident,
            { kind: 'junk_spike', source: a.source, recentRate: a.junk.recentRate ?? 0, usualRate: a.junk.usualRate ?? 0, windowHours: settings.junkWindowHours, recentLeads: a.junk.recentLeads },
            details,
          );
        }
      }
    }
  });
  return report;
}

/** No alert for a source still learning its usual, with alerts off, or outside its own hours. */
function mayAlert(a: SourceAssessment): boolean {
  return !a.learning && a.thresholds.alerts && a.silence.usualNow;
}

type Tell = (topic: Topic, incident: { id: string; source: string; kind: string }, message: SourceHealthMessage, details: Record<string, unknown>) => Promise<void>;

/** A silent source recovers with its first lead after the one the incident was opened on. */
async function resolveSilence(trx: Kysely<Database>, incident: IncidentRecord, a: SourceAssessment, at: string, tell: Tell): Promise<boolean> {
  const before = typeof incident.details.lastLeadAt === 'string' ? incident.details.lastLeadAt : null;
  const first = await firstLeadAfter(trx, a.source, before ?? incident.openedAt, at);
  if (first === null) return false;
  const silentHours = (Date.parse(first) - Date.parse(before ?? incident.openedAt)) / HOUR_MS;
  const resolution = { firstLeadAt: first, silentHours };
  if (!(await resolveIncident(trx, incident.id, at, resolution))) return false;
  await tell('source.recovered', incident, { kind: 'silence_over', source: a.source, firstLeadAt: first, silentHours }, resolution);
  return true;
}

function silenceDetails(a: SourceAssessment): Record<string, unknown> {
  return {
    lastLeadAt: a.lastLeadAt,
    silentHours: a.silence.silentHours,
    silentUsualHours: a.silence.silentUsualHours,
    expected: a.silence.expected,
    expectedPerHour: a.silence.expectedPerHourNow,
    probability: a.silence.probability,
    thresholds: { minExpectedPerHour: a.thresholds.minExpectedPerHour, silenceHours: a.thresholds.silenceHours, maxProbability: a.thresholds.maxProbability },
  };
}

function junkDetails(a: SourceAssessment, settings: SourceHealthSettings): Record<string, unknown> {
  return {
    windowHours: settings.junkWindowHours,
    recentLeads: a.junk.recentLeads,
    recentJunk: a.junk.recentJunk,
    recentRate: a.junk.recentRate,
    usualRate: a.junk.usualRate,
    probability: a.junk.probability,
    thresholds: { junkRateJump: a.thresholds.junkRateJump, minJunkSample: a.thresholds.minJunkSample, maxProbability: a.thresholds.maxProbability },
  };
}

/**
 * One outbox message per language the audience reads, each naming its readers, so e-mail and
 * Telegram carry the reader's language; webhooks subscribed to the topic get the first only.
 */
async function enqueueMessages(
  ctx: AppContext,
  trx: Kysely<Database>,
  audience: Array<{ id: string; locale: string | null }>,
  settings: SourceHealthSettings,
  now: Date,
  topic: Topic,
  incident: { id: string; source: string; kind: string },
  message: SourceHealthMessage,
  details: Record<string, unknown>,
): Promise<void> {
  const byLocale = new Map<Locale, string[]>();
  for (const person of audience) {
    const locale = localeOf(person.locale);
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), person.id]);
  }
  // Nobody to tell: the webhooks still hear of it.
  const groups: Array<[Locale, string[]]> = byLocale.size > 0 ? [...byLocale] : [['ru', []]];
  const createdAt = now.toISOString();
  await enqueueOutbox(
    trx,
    groups.map(([locale, users], i) => ({
      id: ctx.newId(),
      topic,
      payload: {
        leadId: null,
        text: sourceHealthText(message, locale, now, settings.timeZone),
        audience: { users, ...(i > 0 ? { webhooks: [] } : {}) },
        locale,
        source: incident.source,
        incidentId: incident.id,
        incidentKind: incident.kind,
        ...details,
      },
      createdAt,
    })),
  );
}
