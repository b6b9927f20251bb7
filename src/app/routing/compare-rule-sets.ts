import { decisionText } from '../../core/i18n/decision-text.js';
import type { Locale } from '../../core/i18n/locale.js';
import type { Decision } from '../../core/routing/trace.js';
import type { AppContext } from '../app-context.js';
import { chooseRuleSet, loadSimulationWorld, simulationZones, startSimulationRun, type SimulationReport, type SimulationSource } from './simulate-routing.js';

/** One lead's outcome under one rule set, told in parts a screen can word in the reader's language. */
export interface OutcomeSketch {
  outcome: 'assigned' | 'pool';
  managerId: string | null;
  managerName: string | null;
  ruleId: string | null;
  via: Decision['via'];
  strategy: string;
  fallbackReason: string | null;
  /** The engine's own one-line summary (English). */
  summary: string;
  /** The same sentence in the reader's language. */
  summaryText: string;
}

export interface ChangedLead {
  /** The row of a file as the spreadsheet numbers it, or the 1-based position in a replay of stored leads. */
  index: number;
  leadId: string | null;
  label: string;
  before: OutcomeSketch;
  after: OutcomeSketch;
}

export interface RuleSetComparison {
  baseline: Omit<SimulationReport, 'truncated'>;
  candidate: Omit<SimulationReport, 'truncated'>;
  leads: number;
  truncated: boolean;
  changed: { count: number; items: ChangedLead[] };
}

export interface RuleSetChoice {
  version?: number;
  definition?: unknown;
}

/**
 * Replays the same leads through two rule sets (by default: the published one against a draft)
 * with the same managers and fresh fairness state, and lists the leads whose owner would change.
 * Writes nothing. Both runs see identical input, so every difference comes from the rules.
 */
export async function compareRuleSets(
  ctx: AppContext,
  input: { baseline?: RuleSetChoice; candidate: RuleSetChoice; source: SimulationSource; changedLimit: number; locale?: Locale },
): Promise<RuleSetComparison> {
  const world = await loadSimulationWorld(ctx, input.source);
  const baselineChoice = await chooseRuleSet(ctx, input.baseline ?? {}, world.snapshot);
  const candidateChoice = await chooseRuleSet(ctx, input.candidate, world.snapshot);
  const names = new Map(world.managers.map((m) => [m.id as string, m.name]));
  const sketch = (decision: Decision): OutcomeSketch => {
    const managerId = decision.outcome === 'assigned' ? (decision.managerId as string) : null;
    return {
      outcome: decision.outcome === 'assigned' ? 'assigned' : 'pool',
      managerId,
      managerName: managerId ? (names.get(managerId) ?? managerId) : null,
      ruleId: decision.ruleId,
      via: decision.via,
      strategy: decision.outcome === 'assigned' ? decision.strategy : 'pool',
      fallbackReason: decision.trace.fallback?.reason ?? null,
      summary: decision.trace.summary,
      summaryText: decision.trace.facts ? decisionText(decision.trace.facts, input.locale ?? 'ru') : decision.trace.summary,
    };
  };
  const common = { managers: world.managers, priorConversionRate: world.snapshot.priorConversionRate, ...(input.locale ? { locale: input.locale } : {}) };
  const baselineZones = await simulationZones(ctx, baselineChoice.ruleSet, world.snapshot);
  const candidateZones = await simulationZones(ctx, candidateChoice.ruleSet, world.snapshot);
  const baselineRun = startSimulationRun({ ...common, ...baselineZones, ruleSet: baselineChoice.ruleSet, version: baselineChoice.version });
  const candidateRun = startSimulationRun({ ...common, ...candidateZones, ruleSet: candidateChoice.ruleSet, version: candidateChoice.version });

  // Lead by lead through both, so nothing per lead is kept beyond the listed changes.
  let changedCount = 0;
  const items: ChangedLead[] = [];
  world.leads.forEach((lead, index) => {
    const before = baselineRun.route(lead);
    const after = candidateRun.route(lead);
    if (ownerOf(before) === ownerOf(after)) return;
    changedCount++;
    if (items.length < input.changedLimit) items.push({ index: lead.ref.row ?? index + 1, leadId: lead.ref.id, label: lead.ref.label, before: sketch(before), after: sketch(after) });
  });
  const baseline = baselineRun.report(world.leads.length);
  const candidate = candidateRun.report(world.leads.length);
  return { baseline, candidate, leads: world.leads.length, truncated: world.truncated, changed: { count: changedCount, items } };
}

const ownerOf = (decision: Decision): string | null => (decision.outcome === 'assigned' ? (decision.managerId as string) : null);
