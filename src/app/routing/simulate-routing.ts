import type { ManagerId } from '../../core/ids.js';
import type { LeadFacts } from '../../core/lead-facts.js';
import type { CountryCode } from '../../core/normalize/index.js';
import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import { createRoutingSession } from '../../core/routing/create-routing-session.js';
import type { OwnershipVia, StateChange } from '../../core/routing/routing-session.js';
import { validateRuleSet } from '../../core/routing/validate-rule-set.js';
import { listLeads, type LeadRecord } from '../../store/lead-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import type { LeadInput } from '../intake/lead-input.js';
import { factsOfRecord, prepareLead } from '../intake/prepare-lead.js';
import { getRuleSet, validateDefinition } from './rule-sets.js';
import { RoutingSnapshotLoader } from './routing-snapshot.js';

export interface SimulationLead {
  facts: LeadFacts;
  at: number;
  owner: { managerId: ManagerId; via: OwnershipVia } | null;
}

export interface ManagerFigures {
  managerId: string;
  name: string;
  count: number;
  share: number;
  /** The share the strategies meant this manager to have, given who was available for each lead. */
  targetShare: number;
  /** Largest gap between leads received and leads owed at any point of the run. */
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
  byVia: Record<string, number>;
  fallback: { count: number; reasons: Record<string, number>; examples: Array<{ index: number; summary: string }> };
}

export type SimulationSource =
  | { kind: 'stored'; from: string; to: string }
  | { kind: 'inputs'; leads: LeadInput[] };

const MAX_STORED_LEADS = 100_000;

/**
 * Routes leads through a rule set in memory, writing nothing: against today's managers,
 * starting from fresh fairness state, with each lead decided at its own time. A new day starts
 * each manager's daily count afresh; open-lead counts start from today's real ones.
 */
export async function simulateRouting(
  ctx: AppContext,
  input: { version?: number; definition?: unknown; source: SimulationSource },
): Promise<SimulationReport> {
  const snapshot = await new RoutingSnapshotLoader().load(ctx.store.db, ctx.now());
  let ruleSet: RuleSetDefinition;
  let version: number | null;
  if (input.definition !== undefined) {
    const known = { managerIds: new Set(snapshot.managers.map((m) => m.id as string)), teamIds: new Set(snapshot.managers.flatMap((m) => (m.teamId ? [m.teamId as string] : []))) };
    const teams = await ctx.store.db.selectFrom('teams').select('id').execute();
    for (const t of teams) known.teamIds.add(t.id);
    const checked = validateRuleSet(input.definition, known);
    if (!checked.ok) {
      throw new LeadRouterError('LR_ERR_RULE_SET_INVALID', checked.issues[0]?.message, checked.issues.map((i) => ({ path: `definition.${i.path}`, code: i.code, message: i.message })));
    }
    ruleSet = checked.ruleSet;
    version = null;
  } else if (input.version !== undefined) {
    const stored = await getRuleSet(ctx, input.version);
    ruleSet = stored.definition;
    version = input.version;
    // Drafts may be saved while invalid; routing one would fail half-way, so say what is wrong instead.
    if (stored.status === 'draft') {
      const checked = await validateDefinition(ctx, stored.definition);
      if (!checked.ok) {
        throw new LeadRouterError('LR_ERR_RULE_SET_INVALID', `Rule set version ${input.version} has errors: ${checked.issues[0]?.message ?? 'see details'}`, checked.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })));
      }
    }
  } else {
    ruleSet = snapshot.ruleSet;
    version = snapshot.ruleSetVersion || null;
  }

  const leads = await simulationLeads(ctx, input.source);
  return runSimulation({ ruleSet, version, managers: snapshot.managers, priorConversionRate: snapshot.priorConversionRate, leads });
}

async function simulationLeads(ctx: AppContext, source: SimulationSource): Promise<SimulationLead[]> {
  if (source.kind === 'inputs') {
    const at = ctx.now().getTime();
    return source.leads.map((l, i) => ({ facts: prepareLead(l, ctx.config.defaultCountry as CountryCode).facts, at: at + i, owner: null }));
  }
  const records: LeadRecord[] = [];
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const page = await listLeads(ctx.store.db, { createdFrom: source.from, createdTo: source.to }, { limit: 1000, ...(after ? { after } : {}) });
    records.push(...page);
    const last = page[page.length - 1];
    if (!last || page.length < 1000 || records.length >= MAX_STORED_LEADS) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  // Oldest first: routing is order-dependent.
  records.reverse();
  return records.map((r) => ({
    facts: factsOfRecord(r),
    at: Date.parse(r.createdAt),
    owner: r.match?.ownerId && r.match.ownerVia ? { managerId: r.match.ownerId as ManagerId, via: r.match.ownerVia } : null,
  }));
}

export function runSimulation(input: {
  ruleSet: RuleSetDefinition;
  version: number | null;
  managers: Parameters<typeof createRoutingSession>[0]['managers'];
  priorConversionRate: number;
  leads: SimulationLead[];
}): SimulationReport {
  const names = new Map(input.managers.map((m) => [m.id as string, m.name]));
  const count = new Map<string, number>();
  const owed = new Map<string, number>();
  const maxDev = new Map<string, number>();
  const byRule: Record<string, number> = {};
  const byVia: Record<string, number> = {};
  const fallbackReasons: Record<string, number> = {};
  const examples: Array<{ index: number; summary: string }> = [];
  let assigned = 0;
  let pool = 0;
  let fallbackCount = 0;

  let states: StateChange[] = [];
  let session: ReturnType<typeof createRoutingSession> | undefined;
  let day = '';
  const startOfDay = input.managers.map((m) => ({ ...m, load: { open: m.load.open, today: 0 } }));

  input.leads.forEach((lead, index) => {
    const leadDay = new Date(lead.at).toISOString().slice(0, 10);
    if (!session || leadDay !== day) {
      // Carry fairness across days; the session resets daily counts when the local date moves.
      if (session) states = mergeStates(states, session.changedStates());
      session = createRoutingSession({ ruleSet: input.ruleSet, ruleSetVersion: input.version ?? 0, managers: startOfDay, states, priorConversionRate: input.priorConversionRate });
      day = leadDay;
    }
    const decision = session.route({ lead: lead.facts, at: lead.at, owner: lead.owner });
    byVia[decision.via] = (byVia[decision.via] ?? 0) + 1;
    if (decision.ruleId) byRule[decision.ruleId] = (byRule[decision.ruleId] ?? 0) + 1;
    if (decision.trace.fallback) {
      fallbackCount++;
      fallbackReasons[decision.trace.fallback.reason] = (fallbackReasons[decision.trace.fallback.reason] ?? 0) + 1;
      if (examples.length < 20) examples.push({ index, summary: decision.trace.summary });
    }
    if (decision.outcome === 'pool') {
      pool++;
      return;
    }
    assigned++;
    const winner = decision.managerId as string;
    count.set(winner, (count.get(winner) ?? 0) + 1);
    const explanation = decision.trace.winner?.explanation;
    const shares: Record<string, number> =
      explanation && 'shares' in explanation
        ? explanation.shares
        : explanation && 'loads' in explanation
          ? Object.fromEntries(Object.keys(explanation.loads).map((id, _, all) => [id, 1 / all.length]))
          : { [winner]: 1 };
    for (const [id, share] of Object.entries(shares)) owed.set(id, (owed.get(id) ?? 0) + share);
    for (const id of Object.keys(shares)) {
      const gap = Math.abs((count.get(id) ?? 0) - (owed.get(id) ?? 0));
      if (gap > (maxDev.get(id) ?? 0)) maxDev.set(id, gap);
    }
  });

  const perManager = input.managers
    .map((m) => {
      const id = m.id as string;
      const c = count.get(id) ?? 0;
      return {
        managerId: id,
        name: names.get(id) ?? id,
        count: c,
        share: assigned > 0 ? c / assigned : 0,
        targetShare: assigned > 0 ? (owed.get(id) ?? 0) / assigned : 0,
        maxDeviation: round(maxDev.get(id) ?? 0),
      };
    })
    .filter((m) => m.count > 0 || m.targetShare > 0)
    .sort((a, b) => b.count - a.count);

  return {
    ruleSetVersion: input.version,
    leads: input.leads.length,
    assigned,
    pool,
    perManager,
    maxDeviation: round(Math.max(0, ...perManager.map((m) => m.maxDeviation))),
    byRule,
    byVia,
    fallback: { count: fallbackCount, reasons: fallbackReasons, examples },
  };
}

function mergeStates(previous: StateChange[], changes: StateChange[]): StateChange[] {
  const byKey = new Map(previous.map((s) => [`${s.ruleId}\u0000${s.managerId}`, s]));
  for (const c of changes) byKey.set(`${c.ruleId}\u0000${c.managerId}`, c);
  return [...byKey.values()];
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
