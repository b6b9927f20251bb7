import { DateTime } from 'luxon';
import type { Cell } from '../../../core/reports/report-cells.js';
import type { RollupKey, UnsettledLead } from '../../../store/report-rollup-queries.js';
import { breakdown, type LeadBundle } from '../lead-cohort.js';
import type { ReportEnvironment } from '../report-environment.js';
import { ROLLUP_REPORT_NAMES, rollupReport, type ProjectedCell, type RollupReportName } from './rollup-reports.js';

/**
 * A lead's stored contribution to every rollup report, in a zone-free form: its cells with the
 * instant of arrival. A refresh subtracts the stored contribution and adds the new one.
 * Stored as JSON: { report: [[managerId, source, campaign, ruleId, extra, at, tally], …] }.
 */
export type StoredCell = [string | null, string | null, string | null, string | null, string | null, number, unknown];
export type LeadFacts = Partial<Record<RollupReportName, StoredCell[]>>;

/**
 * Each lead's facts, computed from its bundle; a lead in `ids` but not in the bundle is gone
 * (null). A lead whose figures in a report still change with the clock has no facts for that
 * report yet and is listed in `unsettled`.
 */
export function leadFactsOf(bundle: LeadBundle, ids: readonly string[], env: ReportEnvironment): { facts: Map<string, LeadFacts | null>; unsettled: UnsettledLead[] } {
  const out = new Map<string, LeadFacts | null>(ids.map((id) => [id, null]));
  const unsettled: UnsettledLead[] = [];
  const dealsOf = breakdown(bundle.deals, (d) => d.leadId);
  const eventsOf = breakdown(bundle.events, (e) => e.leadId);
  const decisionsOf = breakdown(bundle.decisions, (d) => d.leadId);
  const movesOf = breakdown(bundle.poolMoves, (m) => m.leadId);
  const assignmentsOf = breakdown(bundle.assignments, (a) => a.leadId);
  const transfersOf = breakdown(bundle.transfers, (t) => t.leadId);
  for (const lead of bundle.leads) {
    // Each lead on its own, so its cells are its own whatever a report does with a bundle.
    const single: LeadBundle = {
      leads: [lead],
      deals: dealsOf.get(lead.id) ?? [],
      events: eventsOf.get(lead.id) ?? [],
      decisions: decisionsOf.get(lead.id) ?? [],
      poolMoves: movesOf.get(lead.id) ?? [],
      assignments: assignmentsOf.get(lead.id) ?? [],
      transfers: transfersOf.get(lead.id) ?? [],
    };
    const facts: LeadFacts = {};
    for (const name of ROLLUP_REPORT_NAMES) {
      const report = rollupReport(name);
      const settlesAt = report.settlesAt?.(lead, single, env) ?? null;
      if (settlesAt !== null) {
        unsettled.push({ leadId: lead.id, report: name, settlesAt: new Date(settlesAt).toISOString() });
        facts[name] = [];
        continue;
      }
      facts[name] = report.cellsOf(single, env).map((c) => [c.managerId, c.source, c.campaign, c.ruleId, c.extra, c.at, report.kind.encode(c.tally)]);
    }
    out.set(lead.id, facts);
  }
  return { facts: out, unsettled };
}

export function parseLeadFacts(json: string | undefined): LeadFacts {
  return json === undefined ? {} : (JSON.parse(json) as LeadFacts);
}

export function cellOfStored<T>(stored: StoredCell, decode: (v: unknown) => T): Cell<T> {
  return { managerId: stored[0], source: stored[1], campaign: stored[2], ruleId: stored[3], extra: stored[4], at: stored[5], tally: decode(stored[6]) };
}

const QUARTER_HOUR = 900_000;

/**
 * The local day of an instant in a zone. Every zone's offset is a whole number of quarter
 * hours, so the day is the same throughout a quarter hour and can be remembered per quarter.
 */
export class ZoneDays {
  private readonly cache = new Map<number, string>();
  constructor(readonly zone: string) {}

  dayOf(ms: number): string {
    const quarter = Math.floor(ms / QUARTER_HOUR);
    let day = this.cache.get(quarter);
    if (day === undefined) {
      day = DateTime.fromMillis(quarter * QUARTER_HOUR, { zone: this.zone }).toISODate() as string;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(quarter, day);
    }
    return day;
  }
}

/** The rollup key of a stored cell in a zone ('' for none). */
export function rollupKeyOf(zone: ZoneDays, report: RollupReportName, stored: StoredCell): RollupKey {
  const zoneExtra = rollupReport(report).zoneExtra;
  const extra = zoneExtra ? zoneExtra(stored[5], zone.zone) : (stored[4] ?? '');
  return { zone: zone.zone, report, day: zone.dayOf(stored[5]), managerId: stored[0] ?? '', source: stored[1] ?? '', campaign: stored[2] ?? '', ruleId: stored[3] ?? '', extra };
}

/** The rollup key of a cell under a projection (report `<name>:<projection>`; no zone-dependent extra but its own). */
export function projectedKeyOf(zone: ZoneDays, report: string, cell: ProjectedCell): RollupKey {
  return { zone: zone.zone, report, day: zone.dayOf(cell[5]), managerId: cell[0] ?? '', source: cell[1] ?? '', campaign: cell[2] ?? '', ruleId: cell[3] ?? '', extra: cell[4] ?? '' };
}

export function keyText(k: RollupKey): string {
  return JSON.stringify([k.zone, k.report, k.day, k.managerId, k.source, k.campaign, k.ruleId, k.extra]);
}
