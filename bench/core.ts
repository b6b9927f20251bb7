/**
 * Routing core throughput: 1,000 managers in 50 teams across six time zones, 200 rules,
 * synthetic leads from a seeded generator. Measures one long session and many short
 * sessions of 1,000 leads (session creation included). The machine is shared, so besides
 * the overall rate it reports the median and best of ~0.1-s windows; the headline (last
 * line) is the long session's median.
 *
 *   npx tsx bench/run.ts core [--seconds 3] [--seed 42] [--only long|short] [--session-leads 1000]
 */
import type { ManagerId, RuleId, TeamId } from '../src/core/ids.js';
import { pickOne, seededRandom } from '../src/core/seeded-random.js';
import type { LeadFacts } from '../src/core/lead-facts.js';
import {
  type Condition,
  type Decision,
  type GroupStrategy,
  type ManagerProfile,
  type ProfileMatch,
  type Rule,
  type RuleSetDefinition,
  type Target,
  createRoutingSession,
  validateRuleSet,
} from '../src/core/routing/index.js';

const MANAGERS = 1000;
const TEAMS = 50;
const RULES = 200;

/** Wednesday 2026-03-04 08:00 UTC: 11:00 in Moscow, 18:00 in Vladivostok (just closed). */
const START = Date.parse('2026-03-04T08:00:00Z');
/** Leads arrive 20 a second, so a long run stays inside one working day. */
const LEAD_SPACING_MS = 50;

const ZONES = [
  { zone: 'Europe/Moscow', weight: 16 },
  { zone: 'Europe/Kaliningrad', weight: 3 },
  { zone: 'Europe/Samara', weight: 4 },
  { zone: 'Asia/Yekaterinburg', weight: 6 },
  { zone: 'Asia/Novosibirsk', weight: 6 },
  { zone: 'Asia/Vladivostok', weight: 3 },
];
const REGIONS = [
  'Moscow', 'Moscow Oblast', 'Saint Petersburg', 'Kazan', 'Samara', 'Nizhny Novgorod', 'Yekaterinburg',
  'Chelyabinsk', 'Perm', 'Novosibirsk', 'Omsk', 'Krasnoyarsk', 'Tomsk', 'Vladivostok', 'Khabarovsk',
  'Kaliningrad', 'Rostov-on-Don', 'Krasnodar', 'Voronezh', 'Ufa',
];
const INDUSTRIES = ['retail', 'manufacturing', 'it', 'logistics', 'construction', 'finance', 'healthcare', 'education', 'agro', 'energy'];
const SOURCES = ['web_form', 'phone', 'email', 'telegram', 'expo', 'purchased_db'];
const PRODUCTS = ['crm', 'erp', 'telephony', 'analytics', 'cloud', 'security', 'hr', 'edi'];
const LANGUAGES = ['ru', 'en', 'de', 'zh'];
const STRATEGIES: GroupStrategy[] = ['round_robin', 'weighted', 'least_loaded', 'performance'];

type Random = () => number;

const pick = pickOne;
const seeded = seededRandom;
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
  return out;
}
function weightedPick<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  let r = random() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) if ((r -= item.weight) < 0) return item;
  return items[items.length - 1] as T;
}

interface Team {
  id: TeamId;
  zone: string;
  regions: string[];
}

function buildTeams(random: Random): Team[] {
  return Array.from({ length: TEAMS }, (_, i) => ({
    id: `team-${i}` as TeamId,
    zone: weightedPick(random, ZONES).zone,
    regions: sample(random, REGIONS, int(random, 1, 4)),
  }));
}

function buildManagers(random: Random, teams: Team[]): ManagerProfile[] {
  return Array.from({ length: MANAGERS }, (_, i): ManagerProfile => {
    const team = teams[i % TEAMS] as Team;
    const early = random() < 0.3;
    const day: Array<[string, string]> = early ? [['08:00', '20:00']] : [['09:00', '13:00'], ['14:00', '19:00']];
    const absent = random() < 0.05;
    return {
      id: `mgr-${i}` as ManagerId,
      name: `Manager ${i}`,
      teamId: team.id,
      weight: random() < 0.15 ? 0.5 : 1,
      maxOpen: random() < 0.3 ? null : int(random, 2000, 5000),
      maxPerDay: random() < 0.5 ? null : int(random, 2000, 5000),
      skills: random() < 0.1 ? ['*'] : sample(random, PRODUCTS, int(random, 2, 6)),
      industries: random() < 0.2 ? ['*'] : sample(random, INDUSTRIES, int(random, 3, 8)),
      regions: random() < 0.1 ? ['*'] : [...team.regions, ...sample(random, REGIONS, int(random, 0, 3))],
      languages: random() < 0.3 ? ['ru', 'en'] : ['ru'],
      timeZone: team.zone,
      workingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
      absences: absent ? [{ from: '2026-03-02', to: '2026-03-06' }] : [],
      paused: random() < 0.03,
      load: { open: int(random, 0, 60), today: int(random, 0, 15) },
      performance: { leads: int(random, 0, 400), won: int(random, 0, 40) },
    };
  });
}

function leaf(random: Random): Condition {
  switch (int(random, 0, 7)) {
    case 0:
      return { field: 'region', op: 'eq', value: pick(random, REGIONS) };
    case 1:
      return { field: 'region', op: 'in', value: sample(random, REGIONS, int(random, 2, 5)) };
    case 2:
      return { field: 'industry', op: 'in', value: sample(random, INDUSTRIES, int(random, 1, 3)) };
    case 3:
      return { field: 'source', op: 'eq', value: pick(random, SOURCES) };
    case 4: {
      const min = pick(random, [0, 50_000, 200_000, 1_000_000]);
      return { field: 'dealValue', op: 'between', value: [min, min * 10 + 100_000] };
    }
    case 5:
      return { field: 'dealValue', op: 'gte', value: pick(random, [100_000, 500_000, 2_000_000]) };
    case 6:
      return { field: 'custom.tier', op: 'gte', value: int(random, 1, 3) };
    default:
      return { field: 'productInterest', op: 'contains', value: pick(random, PRODUCTS) };
  }
}

function condition(random: Random, index: number): Condition | undefined {
  // The last rules are broad catch-alls, the first ones narrow: leads pass many rules first.
  if (index >= RULES - 3) return undefined;
  if (index >= RULES - 20) return leaf(random);
  const parts = Array.from({ length: int(random, 2, 3) }, () => leaf(random));
  if (random() < 0.2) return { all: [parts[0] as Condition, { any: parts.slice(1) }] };
  if (random() < 0.1) return { all: [...parts, { not: { field: 'custom.partner', op: 'eq', value: true } }] };
  return { all: parts };
}

function target(random: Random, index: number, teams: Team[], managers: ManagerProfile[]): Target {
  if (index === RULES - 1) return { kind: 'group', teams: sample(random, teams, 5).map((t) => t.id), strategy: 'least_loaded' };
  const roll = random();
  if (roll < 0.02) return { kind: 'pool' };
  if (roll < 0.04) return { kind: 'person', managerId: pick(random, managers).id };
  const strategy = pick(random, STRATEGIES);
  const match: ProfileMatch[] | undefined = random() < 0.25 ? sample(random, ['language', 'region', 'industry', 'skill'] as const, int(random, 1, 2)) : undefined;
  const base =
    roll < 0.7
      ? { teams: sample(random, teams, int(random, 1, 2)).map((t) => t.id) }
      : { managers: sample(random, managers, int(random, 5, 30)).map((m) => m.id) };
  const group: Target = { kind: 'group', ...base, strategy };
  if (match !== undefined) group.match = match;
  if (random() < 0.1) group.requiredSkills = [pick(random, PRODUCTS)];
  const first = 'managers' in base ? base.managers?.[0] : undefined;
  if (strategy === 'weighted' && first !== undefined) group.weights = { [first]: 3 };
  return group;
}

function buildRuleSet(random: Random, teams: Team[], managers: ManagerProfile[]): RuleSetDefinition {
  const rules = Array.from({ length: RULES }, (_, i): Rule => {
    const rule: Rule = { id: `rule-${i}` as RuleId, name: `Rule ${i}`, target: target(random, i, teams, managers) };
    const when = condition(random, i);
    if (when !== undefined) rule.when = when;
    if (random() < 0.05) rule.onNoCandidate = 'fallback';
    return rule;
  });
  return {
    ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
    rules,
    fallback: { kind: 'manager', managerId: managers[0]?.id as ManagerId },
  };
}

function buildLeads(random: Random, count: number): LeadFacts[] {
  return Array.from({ length: count }, (): LeadFacts => ({
    source: pick(random, SOURCES),
    channel: 'inbound',
    region: pick(random, REGIONS),
    industry: pick(random, INDUSTRIES),
    companySize: int(random, 1, 5000),
    productInterest: sample(random, PRODUCTS, int(random, 1, 2)),
    dealValue: Math.round(Math.exp(random() * Math.log(5_000_000))),
    language: random() < 0.85 ? 'ru' : pick(random, LANGUAGES),
    score: int(random, 0, 100),
    custom: { tier: int(random, 0, 3), partner: random() < 0.1 },
  }));
}

interface Run {
  decisions: number;
  seconds: number;
  /** Rates of consecutive windows of about 10,000 decisions; their median shrugs off bursts of other load. */
  windows: number[];
  assigned: number;
  pool: number;
  rulesTried: number;
  candidates: number;
}

const newRun = (): Run => ({ decisions: 0, seconds: 0, windows: [], assigned: 0, pool: 0, rulesTried: 0, candidates: 0 });

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function tally(run: Run, decision: Decision): void {
  if (decision.outcome === 'assigned') run.assigned++;
  else run.pool++;
  run.rulesTried += decision.trace.steps.length;
  const last = decision.trace.steps[decision.trace.steps.length - 1];
  run.candidates += last?.candidates?.length ?? 0;
}

function parseArgs(args: string[]): { seconds: number; seed: number; only: string | undefined; sessionLeads: number } {
  const value = (name: string, fallback: number): number => {
    const i = args.indexOf(`--${name}`);
    const n = i >= 0 ? Number(args[i + 1]) : Number.NaN;
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  return { seconds: value('seconds', 3), seed: value('seed', 42), only, sessionLeads: value('session-leads', 1000) };
}

export default async function bench(args: string[]): Promise<void> {
  const { seconds, seed, only, sessionLeads: SESSION_LEADS } = parseArgs(args);
  const random = seeded(seed);
  const teams = buildTeams(random);
  const managers = buildManagers(random, teams);
  const ruleSet = buildRuleSet(random, teams, managers);
  const validation = validateRuleSet(ruleSet, {
    managerIds: new Set(managers.map((m) => m.id)),
    teamIds: new Set(teams.map((t) => t.id)),
  });
  if (!validation.ok) throw new Error(`synthetic rule set is invalid: ${validation.issues[0]?.message ?? ''}`);
  const leads = buildLeads(random, 50_000);
  const owners = Array.from({ length: leads.length }, () => (random() < 0.1 ? pick(random, managers).id : null));
  const newSession = () => createRoutingSession({ ruleSet, ruleSetVersion: 1, managers, states: [] });
  const request = (i: number, at: number) => {
    const owner = owners[i % owners.length];
    return { lead: leads[i % leads.length] as LeadFacts, at, owner: owner === null || owner === undefined ? null : { managerId: owner, via: 'contact' as const } };
  };

  console.log(`routing core: ${managers.length} managers, ${teams.length} teams, ${ruleSet.rules.length} rules, ${ZONES.length} time zones`);
  const onDuty = managers.filter((m) => !m.paused && m.absences.length === 0).length;
  console.log(`  ${onDuty} managers neither paused nor absent; leads every ${LEAD_SPACING_MS} ms from ${new Date(START).toISOString()}`);

  // Warm-up: let the JIT settle on both paths.
  {
    const session = newSession();
    for (let i = 0; i < 30_000; i++) session.route(request(i, START + i * LEAD_SPACING_MS));
    for (let s = 0; s < 10; s++) {
      const short = newSession();
      for (let i = 0; i < SESSION_LEADS; i++) short.route(request(s * SESSION_LEADS + i, START + i * LEAD_SPACING_MS));
    }
  }

  // 1. One long session.
  const long = newRun();
  if (only !== 'short') {
    const session = newSession();
    const began = performance.now();
    let windowStart = began;
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      for (let j = 0; j < 10_000; j++, long.decisions++) {
        tally(long, session.route(request(long.decisions, START + long.decisions * LEAD_SPACING_MS)));
      }
      const now = performance.now();
      long.windows.push(10_000 / ((now - windowStart) / 1000));
      windowStart = now;
      elapsed = now - began;
    }
    long.seconds = elapsed / 1000;
  }

  // 2. Short sessions, each created from the snapshot as a batch of requests would do it.
  const short = newRun();
  let sessions = 0;
  let creationMs = 0;
  if (only !== 'long') {
    const began = performance.now();
    let windowStart = began;
    let windowDecisions = 0;
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      const created = performance.now();
      const session = newSession();
      creationMs += performance.now() - created;
      const base = START + (sessions % 60) * 60_000;
      for (let i = 0; i < SESSION_LEADS; i++, short.decisions++, windowDecisions++) {
        tally(short, session.route(request(short.decisions, base + i * LEAD_SPACING_MS)));
      }
      sessions++;
      const now = performance.now();
      if (windowDecisions >= 10_000) {
        short.windows.push(windowDecisions / ((now - windowStart) / 1000));
        windowStart = now;
        windowDecisions = 0;
      }
      elapsed = now - began;
    }
    short.seconds = elapsed / 1000;
  }

  const rate = (run: Run): number => Math.round(run.decisions / run.seconds);
  const typical = (run: Run): number => Math.round(median(run.windows.length > 0 ? run.windows : [rate(run)]));
  const describe = (name: string, run: Run): void => {
    const best = Math.round(Math.max(...run.windows, rate(run)));
    console.log(
      `${name}: ${run.decisions.toLocaleString('en')} decisions in ${run.seconds.toFixed(2)} s = ${rate(run).toLocaleString('en')} decisions/s overall, ` +
        `${typical(run).toLocaleString('en')}/s median and ${best.toLocaleString('en')}/s best over ${run.windows.length} windows ` +
        `(${(1e6 / typical(run)).toFixed(2)} µs per decision)`,
    );
    console.log(
      `  ${((100 * run.assigned) / run.decisions).toFixed(1)}% assigned, ${((100 * run.pool) / run.decisions).toFixed(1)}% pool; ` +
        `${(run.rulesTried / run.decisions).toFixed(1)} rules tried and ${(run.candidates / run.decisions).toFixed(1)} candidates per decision on average`,
    );
  };
  if (long.decisions > 0) describe('one long session', long);
  if (short.decisions > 0) {
    describe(`${sessions} sessions of ${SESSION_LEADS} leads`, short);
    console.log(`  session creation: ${(creationMs / sessions).toFixed(3)} ms each, ${((100 * creationMs) / (short.seconds * 1000)).toFixed(1)}% of the time`);
  }
  // Headline: the one-session figure (the short sessions' figure when run alone), median window.
  console.log(JSON.stringify({ decisionsPerSec: typical(long.decisions > 0 ? long : short), managers: MANAGERS, rules: RULES }));
}
