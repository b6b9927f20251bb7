import type { ManagerId } from '../../core/ids.js';
import type { LeadFacts } from '../../core/lead-facts.js';
import type { CountryCode } from '../../core/normalize/index.js';
import { createRoutingSession } from '../../core/routing/create-routing-session.js';
import type { Decision } from '../../core/routing/trace.js';
import type { ManagerProfile } from '../../core/routing/manager-profile.js';
import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import type { OwnershipVia } from '../../core/routing/routing-session.js';
import { listLeadsForReplay, type ReplayLead } from '../../store/replay-lead-queries.js';
import type { AppContext } from '../app-context.js';
import type { LeadInput } from '../intake/lead-input.js';
import { factsOfRecord, prepareLead } from '../intake/prepare-lead.js';
import { getRuleSet, invalidRuleSet, validateDefinition } from './rule-sets.js';
import { type RoutingSnapshot, RoutingSnapshotLoader } from './routing-snapshot.js';
import { decisionText } from '../../core/i18n/decision-text.js';
import type { Locale } from '../../core/i18n/locale.js';

export interface SimulationLead {
  facts: LeadFacts;
  at: number;
  owner: { managerId: ManagerId; via: OwnershipVia } | null;
  /** What names the lead to a person: the stored lead, or the row of the file (as the spreadsheet numbers it). */
  ref: { id: string | null; label: string; row?: number };
}

export interface ManagerFigures {
  managerId: string;
  name: string;
  count: number;
  share: number;
  /**
   * The share this manager was meant to have: for fair-share rules (round robin, weighted,
   * performance) the weights among whoever was available for each lead; other decisions
   * (owner, least loaded, person, fallback) count as meant.
   */
  targetShare: number;
  /** Largest gap, in leads, between received and owed within any one fair-share rule, at any point of the run. */
  maxDeviation: number;
}

export interface RuleFairness {
  ruleId: string;
  leads: number;
  maxDeviation: number;
}

export interface SimulationReport {
  ruleSetVersion: number | null;
  leads: number;
  assigned: number;
  pool: number;
  perManager: ManagerFigures[];
  maxDeviation: number;
  byRule: Record<string, number>;
  /** Per fair-share rule: the leads it placed and the largest deviation from the fair share. */
  fairness: RuleFairness[];
  byVia: Record<string, number>;
  fallback: { count: number; reasons: Record<string, number>; examples: Array<{ index: number; summary: string; summaryText: string }> };
  /** True when the period held more stored leads than one simulation replays; the newest were used. */
  truncated: boolean;
}

export type SimulationSource =
  | { kind: 'stored'; from: string; to: string }
  /** Leads from a file, decided as if they all arrived at `at` (default now). */
  | { kind: 'inputs'; leads: LeadInput[]; at?: Date; rows?: number[] };

const MAX_STORED_LEADS = 100_000;
const FAIR_SHARE = new Set(['round_robin', 'weighted', 'performance']);

/**
 * Routes leads through a rule set in memory and writes nothing, against today's managers and
 * from fresh fairness state. Stored leads are replayed at their own times, with the absences
 * of that period and open-lead counts starting from zero (nothing closes during a replay);
 * leads from a file are decided at one moment against today's real loads.
 */
export async function simulateRouting(ctx: AppContext, input: { version?: number; definition?: unknown; source: SimulationSource; locale?: Locale }): Promise<SimulationReport> {
  const world = await loadSimulationWorld(ctx, input.source);
  const { ruleSet, version } = await chooseRuleSet(ctx, input, world.snapshot);
  const zones = await simulationZones(ctx, ruleSet, world.snapshot);
  return { ...runSimulation({ ruleSet, version, managers: world.managers, priorConversionRate: world.snapshot.priorConversionRate, ...zones, leads: world.leads, ...(input.locale ? { locale: input.locale } : {}) }), truncated: world.truncated };
}

/**
 * The zones of fairness periods for a simulated rule set: the snapshot read them only if the
 * published rules count per period, so a draft that does gets them here.
 */
export async function simulationZones(
  ctx: AppContext,
  ruleSet: RuleSetDefinition,
  snapshot: Pick<RoutingSnapshot, 'ruleSet' | 'teamTimeZones' | 'defaultTimeZone'>,
): Promise<Pick<SimulationRunInput, 'teamTimeZones' | 'defaultTimeZone'>> {
  if (ruleSet === snapshot.ruleSet) return { teamTimeZones: snapshot.teamTimeZones, defaultTimeZone: snapshot.defaultTimeZone };
  const { teamTimeZones, defaultTimeZone } = await new RoutingSnapshotLoader().zonesFor(ctx.store.db, ruleSet);
  return { teamTimeZones, defaultTimeZone };
}

/** Today's managers and the leads to replay, shared by a simulation and a comparison. */
export async function loadSimulationWorld(ctx: AppContext, source: SimulationSource) {
  const absencesSince = source.kind === 'stored' ? new Date(Date.parse(source.from) - 86_400_000).toISOString().slice(0, 10) : undefined;
  const snapshot = await new RoutingSnapshotLoader().load(ctx.store.db, ctx.now(), undefined, absencesSince);
  const { leads, truncated } = await simulationLeads(ctx, source);
  const managers = source.kind === 'stored' ? snapshot.managers.map((m) => ({ ...m, load: { open: 0, today: 0 } })) : snapshot.managers;
  return { snapshot, managers, leads, truncated };
}

export async function chooseRuleSet(
  ctx: AppContext,
  input: { version?: number; definition?: unknown },
  snapshot: { ruleSet: RuleSetDefinition; ruleSetVersion: number },
): Promise<{ ruleSet: RuleSetDefinition; version: number | null }> {
  if (input.definition !== undefined) {
    const checked = await validateDefinition(ctx, input.definition);
    if (!checked.ok) throw invalidRuleSet(checked.issues, 'definition.');
    return { ruleSet: input.definition as RuleSetDefinition, version: null };
  }
  if (input.version !== undefined) {
    const stored = await getRuleSet(ctx, input.version);
    // Drafts may be saved while invalid; routing one would fail half-way, so say what is wrong instead.
    if (stored.status === 'draft') {
      const checked = await validateDefinition(ctx, stored.definition);
      if (!checked.ok) throw invalidRuleSet(checked.issues, '', `Rule set version ${input.version} is a draft with errors`);
    }
    return { ruleSet: stored.definition, version: input.version };
  }
  return { ruleSet: snapshot.ruleSet, version: snapshot.ruleSetVersion || null };
}

async function simulationLeads(ctx: AppContext, source: SimulationSource): Promise<{ leads: SimulationLead[]; truncated: boolean }> {
  if (source.kind === 'inputs') {
    const at = (source.at ?? ctx.now()).getTime();
    const country = ctx.config.defaultCountry as CountryCode;
    return {
      leads: source.leads.map((l, i) => {
        const row = source.rows?.[i] ?? i + 1;
        return { facts: prepareLead(l, country).facts, at, owner: null, ref: { id: null, label: labelOfInput(l, row), row } };
      }),
      truncated: false,
    };
  }
  // One query for the newest MAX_STORED_LEADS (+1 tells whether the period held more), then oldest first: routing is order-dependent.
  const leads = await listLeadsForReplay(ctx.store.db, { from: source.from, to: source.to }, MAX_STORED_LEADS + 1, simulationLeadOf);
  const truncated = leads.length > MAX_STORED_LEADS;
  if (truncated) leads.length = MAX_STORED_LEADS;
  return { leads: leads.reverse(), truncated };
}

function simulationLeadOf(r: ReplayLead): SimulationLead {
  return {
    facts: factsOfRecord(r),
    at: Date.parse(r.createdAt),
    owner: r.match?.ownerId && r.match.ownerVia ? { managerId: r.match.ownerId as ManagerId, via: r.match.ownerVia } : null,
    ref: { id: r.id, label: [r.name, r.companyName].filter(Boolean).join(', ') || r.email || r.phone || r.id },
  };
}

function labelOfInput(lead: LeadInput, row: number): string {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const parts = [text(lead.name), text(lead.companyName)].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : (text(lead.email) ?? text(lead.phone) ?? `#${row}`);
}

/** The pure part: one session over every lead in order; the core resets daily counts at each manager's local midnight. */
export function runSimulation(input: SimulationRunInput & { leads: SimulationLead[] }): Omit<SimulationReport, 'truncated'> {
  const run = startSimulationRun(input);
  input.leads.forEach((lead) => run.route(lead));
  return run.report(input.leads.length);
}

export interface SimulationRunInput {
  ruleSet: RuleSetDefinition;
  version: number | null;
  managers: ManagerProfile[];
  priorConversionRate: number;
  /** Team id → IANA zone and the default zone, for rules with a fairness period. */
  teamTimeZones?: Record<string, string>;
  defaultTimeZone?: string;
  /** The language of the examples' sentences (summaryText); Russian by default. */
  locale?: Locale;
}

export interface SimulationRun {
  /** Routes the next lead (in arrival order) and tallies the decision. */
  route(lead: SimulationLead): Decision;
  report(leads: number): Omit<SimulationReport, 'truncated'>;
}

/** A simulation fed one lead at a time, so two rule sets can be run side by side over one pass. */
export function startSimulationRun(input: SimulationRunInput): SimulationRun {
  const session = createRoutingSession({
    ruleSet: input.ruleSet,
    ruleSetVersion: input.version ?? 0,
    managers: input.managers,
    states: [],
    priorConversionRate: input.priorConversionRate,
    ...(input.teamTimeZones !== undefined ? { teamTimeZones: input.teamTimeZones } : {}),
    ...(input.defaultTimeZone !== undefined ? { defaultTimeZone: input.defaultTimeZone } : {}),
  });
  const count = new Map<string, number>();
  const meant = new Map<string, number>();
  const perRule = new Map<string, { leads: number; period: string; received: Map<string, number>; owed: Map<string, number>; maxDeviation: number; byManager: Map<string, number> }>();
  const byRule: Record<string, number> = {};
  const byVia: Record<string, number> = {};
  const fallbackReasons: Record<string, number> = {};
  const examples: Array<{ index: number; summary: string; summaryText: string }> = [];
  let assigned = 0;
  let pool = 0;
  let fallbackCount = 0;
  const add = (map: Map<string, number>, key: string, by: number): number => {
    const value = (map.get(key) ?? 0) + by;
    map.set(key, value);
    return value;
  };

  let routed = 0;
  const route = (lead: SimulationLead): Decision => {
    const index = routed++;
    const decision = session.route({ lead: lead.facts, at: lead.at, owner: lead.owner });
    byVia[decision.via] = (byVia[decision.via] ?? 0) + 1;
    if (decision.ruleId) byRule[decision.ruleId] = (byRule[decision.ruleId] ?? 0) + 1;
    if (decision.trace.fallback) {
      fallbackCount++;
      fallbackReasons[decision.trace.fallback.reason] = (fallbackReasons[decision.trace.fallback.reason] ?? 0) + 1;
      // A file's row as the spreadsheet shows it, so rejected rows before it do not shift the number.
      if (examples.length < 20) examples.push({ index: lead.ref.row ?? index + 1, summary: decision.trace.summary, summaryText: decision.trace.facts ? decisionText(decision.trace.facts, input.locale ?? 'ru') : decision.trace.summary });
    }
    if (decision.outcome === 'pool') {
      pool++;
      return decision;
    }
    assigned++;
    const winner = decision.managerId as string;
    add(count, winner, 1);
    const explanation = decision.trace.winner?.explanation;
    if (!decision.ruleId || !explanation || !('shares' in explanation) || !FAIR_SHARE.has(decision.strategy)) {
      add(meant, winner, 1);
      return decision;
    }
    const rule = perRule.get(decision.ruleId) ?? { leads: 0, period: '', received: new Map(), owed: new Map(), maxDeviation: 0, byManager: new Map() };
    perRule.set(decision.ruleId, rule);
    // A rule counting per day, week or month starts from zero at each period: so does its tally.
    const period = 'period' in explanation ? (explanation.period?.key ?? '') : '';
    if (period !== rule.period) {
      rule.period = period;
      rule.received.clear();
      rule.owed.clear();
    }
    rule.leads++;
    add(rule.received, winner, 1);
    for (const [id, share] of Object.entries(explanation.shares)) {
      add(meant, id, share);
      const owed = add(rule.owed, id, share);
      const gap = Math.abs((rule.received.get(id) ?? 0) - owed);
      if (gap > rule.maxDeviation) rule.maxDeviation = gap;
      if (gap > (rule.byManager.get(id) ?? 0)) rule.byManager.set(id, gap);
    }
    return decision;
  };

  const report = (leads: number): Omit<SimulationReport, 'truncated'> => {
    const perManager = input.managers
      .map((m): ManagerFigures => {
        const id = m.id as string;
        const c = count.get(id) ?? 0;
        let maxDeviation = 0;
        for (const rule of perRule.values()) maxDeviation = Math.max(maxDeviation, rule.byManager.get(id) ?? 0);
        return { managerId: id, name: m.name, count: c, share: assigned > 0 ? c / assigned : 0, targetShare: assigned > 0 ? (meant.get(id) ?? 0) / assigned : 0, maxDeviation: round(maxDeviation) };
      })
      .filter((m) => m.count > 0 || m.targetShare > 0)
      .sort((a, b) => b.count - a.count);
    const fairness = [...perRule.entries()].map(([ruleId, r]) => ({ ruleId, leads: r.leads, maxDeviation: round(r.maxDeviation) }));

    return {
      ruleSetVersion: input.version,
      leads,
      assigned,
      pool,
      perManager,
      maxDeviation: round(Math.max(0, ...fairness.map((f) => f.maxDeviation))),
      byRule,
      fairness,
      byVia,
      fallback: { count: fallbackCount, reasons: fallbackReasons, examples },
    };
  };

  return { route, report };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
