import type { Kysely } from 'kysely';
import { managerLocalDate } from '../../core/routing/availability.js';
import type { ManagerProfile } from '../../core/routing/manager-profile.js';
import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import type { StateChange } from '../../core/routing/routing-session.js';
import { loadManagerProfiles, loadPerformance } from '../../store/manager-queries.js';
import { readJson } from '../../store/json.js';
import { findSetting } from '../../store/pool-queries.js';
import { loadRoutingStates } from '../../store/routing-state-queries.js';
import { DEFAULT_REPORT_SETTINGS, REPORT_SETTINGS_KEY } from '../reports/report-settings.js';
import { findRuleSet, publishedRuleSetVersion } from '../../store/rule-set-queries.js';
import type { Database } from '../../store/schema.js';
import { EMPTY_RULE_SET } from './default-rule-set.js';

export interface RoutingSnapshot {
  ruleSet: RuleSetDefinition;
  ruleSetVersion: number;
  managers: ManagerProfile[];
  states: StateChange[];
  priorConversionRate: number;
  /** Team id → IANA zone, for rules with a fairness period (empty when no rule has one). */
  teamTimeZones: Record<string, string>;
  /** The company's default zone (Settings → reports), for a period rule that names no team. */
  defaultTimeZone: string;
}

const PERFORMANCE_WINDOW_DAYS = 90;
const PERFORMANCE_TTL_MS = 60_000;

/**
 * Loads everything a batch of decisions needs. Published rule sets never change, so their
 * definitions are cached by version; conversion figures move slowly and are cached for a minute.
 */
export class RoutingSnapshotLoader {
  private readonly definitions = new Map<number, RuleSetDefinition>();
  private performance: { at: number; byOwner: Map<string, { leads: number; won: number }> } | undefined;

  /** Refreshes the slow-moving figures outside the routing lock, so the lock is held briefly. */
  async warm(db: Kysely<Database>, at: Date): Promise<void> {
    await this.performanceFigures(db, at);
  }

  /**
   * @param absencesSince the earliest local date whose absences matter (a replay of past
   *   leads needs the vacations of that period); by default the day before `at`.
   */
  async load(db: Kysely<Database>, at: Date, version?: number, absencesSince?: string): Promise<RoutingSnapshot> {
    const ruleSetVersion = version ?? (await publishedRuleSetVersion(db)) ?? 0;
    const ruleSet = await this.definition(db, ruleSetVersion);
    const performance = await this.performanceFigures(db, at);
    const managers = await loadManagerProfiles(db, {
      absencesSince: absencesSince ?? new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10),
      localDateOf: (timeZone) => managerLocalDate({ timeZone }, at.getTime()),
      performance,
    });
    const ruleIds = ruleSet.rules.map((r) => r.id as string);
    const states = await loadRoutingStates(db, ruleIds);
    let leads = 0;
    let won = 0;
    for (const p of performance.values()) {
      leads += p.leads;
      won += p.won;
    }
    const zones = await this.zones(db, ruleSet);
    return { ruleSet, ruleSetVersion, managers, states, priorConversionRate: leads > 0 ? won / leads : 0.1, ...zones };
  }

  /** The zones fairness periods are counted in; read only when some rule counts per day, week or month. */
  async zonesFor(db: Kysely<Database>, ruleSet: RuleSetDefinition): Promise<Pick<RoutingSnapshot, 'teamTimeZones' | 'defaultTimeZone'>> {
    return await this.zones(db, ruleSet);
  }

  private async zones(db: Kysely<Database>, ruleSet: RuleSetDefinition): Promise<Pick<RoutingSnapshot, 'teamTimeZones' | 'defaultTimeZone'>> {
    const periodic = ruleSet.rules.some((r) => r.target.kind === 'group' && r.target.fairnessPeriod !== undefined && r.target.fairnessPeriod !== 'none');
    if (!periodic) return { teamTimeZones: {}, defaultTimeZone: DEFAULT_REPORT_SETTINGS.timeZone };
    const [teams, settings] = await Promise.all([db.selectFrom('teams').select(['id', 'time_zone']).execute(), findSetting(db, REPORT_SETTINGS_KEY)]);
    const teamTimeZones: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const team of teams) teamTimeZones[team.id] = team.time_zone;
    const defaultTimeZone = readJson<{ timeZone?: unknown }>(settings, {}).timeZone;
    return { teamTimeZones, defaultTimeZone: typeof defaultTimeZone === 'string' ? defaultTimeZone : DEFAULT_REPORT_SETTINGS.timeZone };
  }

  private async definition(db: Kysely<Database>, version: number): Promise<RuleSetDefinition> {
    if (version === 0) return EMPTY_RULE_SET;
    const cached = this.definitions.get(version);
    if (cached) return cached;
    const stored = await findRuleSet(db, version);
    const definition = stored?.definition ?? EMPTY_RULE_SET;
    if (stored && stored.status !== 'draft') this.definitions.set(version, definition);
    return definition;
  }

  private async performanceFigures(db: Kysely<Database>, at: Date): Promise<Map<string, { leads: number; won: number }>> {
    if (this.performance && at.getTime() - this.performance.at < PERFORMANCE_TTL_MS) return this.performance.byOwner;
    const since = new Date(at.getTime() - PERFORMANCE_WINDOW_DAYS * 86_400_000).toISOString();
    const byOwner = await loadPerformance(db, since);
    this.performance = { at: at.getTime(), byOwner };
    return byOwner;
  }
}
