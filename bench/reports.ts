/**
 * Reports benchmark (issue 13): how long each report takes on a large history, through the HTTP
 * app (inject, no socket), as a head of sales asks for it — the last 30 days, by day, the whole
 * company. The history is generated straight into the database (not through intake): leads over
 * `--days` days with their routing decision and trace, first contacts, SLA breaches, junk marks,
 * deals and transfers, in the proportions of a busy sales floor.
 *
 *   npm run bench -- reports                       # 1,000,000 leads on SQLite in a temporary DATA_DIR
 *   npm run bench -- reports --pg                  # the same on an embedded durable PostgreSQL
 *   npm run bench -- reports --leads 100000 --runs 10
 *   DATABASE_URL=postgres://… npm run bench -- reports   # an existing (empty) database
 *
 * Options: --leads <n> (1000000), --days <n> (90, the history), --period-days <n> (30, asked for),
 * --runs <n> (10 measured requests per report, after one warm-up), --seed <n> (1),
 * --only <report,report> (some reports), --data-dir <dir> (SQLite kept in that directory: a second
 * run on it skips writing the history and, unless --rebuild, building the rollups — for working on
 * the read path without waiting twenty minutes each time).
 *
 * The rollups are then built from the history (timed: `rollupBuildSeconds`), as after an upgrade.
 * The last line printed is one JSON object: {"db","leads","periodDays","rollupBuildSeconds","reports":{name:{"p50Ms","p95Ms"}}}.
 * Issue 13's target is p95 ≤ 200 ms per report on 1,000,000 leads on both databases.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Insertable, Kysely } from 'kysely';
import { createApiKey } from '../src/app/api-keys.js';
import { createAppContext } from '../src/app/app-context.js';
import { rebuildRollups } from '../src/app/reports/rollups/refresh-rollups.js';
import { buildApp } from '../src/http/build-app.js';
import { chunkForInsert } from '../src/store/chunk.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { ActivitiesTable, AssignmentsTable, Database, DealsTable, EventsTable, LeadsTable, TransfersTable } from '../src/store/schema.js';
import { prepareBenchDatabase } from './support/bench-database.js';

const REPORTS = ['distribution', 'speed-to-lead', 'sla', 'funnel', 'junk', 'transfers'] as const;
const TEAMS = 5;
const PER_TEAM = 8;
const SOURCES = ['site', 'tilda', 'yandex_direct', 'vk', 'partner', 'cold', 'expo', 'phone'];
const CAMPAIGNS = Array.from({ length: 20 }, (_, i) => `spring-${i + 1}`);
const BATCH = 5_000;

/** A small deterministic generator (mulberry32), so two runs build the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 10) => String(n).padStart(width, '0');

export async function seed(db: Kysely<Database>, options: { leads: number; days: number; seed: number; now: number }): Promise<void> {
  const rnd = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const at0 = new Date(options.now - options.days * 86_400_000).toISOString();
  await db.insertInto('teams').values(Array.from({ length: TEAMS }, (_, t) => ({ id: `team-${t}`, name: `Team ${t}`, created_at: at0 }))).execute();
  const managers = Array.from({ length: TEAMS * PER_TEAM }, (_, i) => ({ id: `m-${pad(i, 3)}`, team: `team-${Math.floor(i / PER_TEAM)}`, weight: 1 + (i % 3) }));
  await db
    .insertInto('managers')
    .values(
      managers.map((m) => ({
        id: m.id, team_id: m.team, name: `Manager ${m.id}`, email: null, role: 'manager', weight: m.weight, max_open: 200, max_per_day: null,
        skills: '[]', industries: '[]', regions: '[]', languages: '[]', time_zone: 'Europe/Moscow',
        working_hours: JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]))),
        paused: 0, active: 1, open_leads: 0, today_date: null, today_count: 0, created_at: at0, updated_at: at0,
      })),
    )
    .execute();
  await db
    .insertInto('sla_policies')
    .values({ id: 'policy-1', name: 'Inbound', position: 0, match: '{}', first_contact_minutes: 120, next_step_minutes: null, warn_before_minutes: null, max_reassignments: 1, on_exhausted: 'head', active: 1, created_at: at0, updated_at: at0 })
    .execute();

  const teamShares = new Map<string, string>();
  for (let t = 0; t < TEAMS; t++) {
    const members = managers.filter((m) => m.team === `team-${t}`);
    const total = members.reduce((s, m) => s + m.weight, 0);
    teamShares.set(`team-${t}`, JSON.stringify(Object.fromEntries(members.map((m) => [m.id, m.weight / total]))));
  }

  let n = 0;
  let extra = 0;
  while (n < options.leads) {
    const leads: Array<Insertable<LeadsTable>> = [];
    const assignments: Array<Insertable<AssignmentsTable>> = [];
    const events: Array<Insertable<EventsTable>> = [];
    const deals: Array<Insertable<DealsTable>> = [];
    const transfers: Array<Insertable<TransfersTable>> = [];
    const activities: Array<Insertable<ActivitiesTable>> = [];
    for (let b = 0; b < BATCH && n < options.leads; b++, n++) {
      const id = `L${pad(n)}`;
      const created = options.now - Math.floor(rnd() * options.days * 86_400_000);
      const createdAt = new Date(created).toISOString();
      const pooled = rnd() < 0.03;
      const manager = pick(managers);
      const owner = pooled ? null : manager.id;
      const roll = rnd();
      const status = pooled ? 'pool' : roll < 0.15 ? 'junk' : roll < 0.2 ? 'converted' : pick(['new', 'in_progress', 'qualified', 'proposal']);
      const contacted = owner !== null && status !== 'junk' && rnd() < 0.8;
      const contactAt = contacted ? created + Math.floor(-Math.log(1 - rnd()) * 45 * 60_000) : null;
      const closed = status === 'junk' || status === 'converted' ? new Date(created + Math.floor(rnd() * 5 * 86_400_000)).toISOString() : null;
      const breached = owner !== null && rnd() < 0.1;
      leads.push({
        id, status, owner_id: owner, name: `Lead ${n}`, source: pick(SOURCES), campaign: rnd() < 0.7 ? pick(CAMPAIGNS) : null, product_interest: '[]', custom: '{}',
        priority: null, assigned_at: owner ? createdAt : null, created_at: createdAt, updated_at: createdAt,
        first_contact_at: contactAt === null ? null : new Date(contactAt).toISOString(), last_activity_at: contactAt === null ? null : new Date(contactAt).toISOString(),
        junk_reason: status === 'junk' ? pick(['spam', 'wrong_contact', 'duplicate', 'no_need']) : null, closed_at: closed,
        qualified_at: status === 'qualified' || (status === 'converted' && rnd() < 0.5) ? new Date(created + 3_600_000).toISOString() : null,
        sla_policy_id: null, sla_kind: null, sla_due_at: null, sla_breaches: breached ? 1 : 0, reassignments: 0, search_text: null, search_digits: null,
      });
      const ruleId = `sales-${manager.team}`;
      const trace = pooled
        ? { ruleSetVersion: 1, at: createdAt, steps: [{ ruleId: 'cold', ruleName: 'Cold base', matched: true, outcome: 'pool' }], summary: 'To the pool by the rule' }
        : { ruleSetVersion: 1, at: createdAt, steps: [{ ruleId, ruleName: `Sales ${manager.team}`, matched: true, outcome: 'assigned' }], winner: { managerId: owner, ruleId, explanation: { strategy: 'weighted', share: 0, creditBefore: 0, shares: JSON.parse(teamShares.get(manager.team) as string) } }, summary: 'Weighted' };
      assignments.push({ id: `A${pad(n)}`, lead_id: id, manager_id: owner, outcome: pooled ? 'pool' : 'assigned', via: 'rule', rule_id: pooled ? 'cold' : ruleId, strategy: pooled ? null : 'weighted', rule_set_version: 1, trace: JSON.stringify(trace), actor: 'api-key:bench', created_at: createdAt });
      if (contactAt !== null) activities.push({ id: `C${pad(n)}`, lead_id: id, kind: 'call', outcome: 'reached', note: null, manager_id: owner, actor: 'user:bench', occurred_at: new Date(contactAt).toISOString(), created_at: new Date(contactAt).toISOString() });
      if (breached) events.push({ id: `E${pad(extra++)}`, lead_id: id, type: 'sla.breached', actor: 'system:sla-sweeper', payload: JSON.stringify({ kind: 'first_contact', managerId: owner, policyId: 'policy-1', breaches: 1 }), created_at: new Date(created + 7_200_000).toISOString() });
      if (status === 'junk') events.push({ id: `E${pad(extra++)}`, lead_id: id, type: 'lead.status_changed', actor: 'user:bench', payload: JSON.stringify({ leadId: id, from: 'new', to: 'junk', ownerId: owner }), created_at: closed as string });
      if (status === 'converted') {
        const won = rnd() < 0.4;
        deals.push({ id: `D${pad(n)}`, lead_id: id, contact_id: null, company_id: null, title: 'Deal', amount: Math.floor(rnd() * 500_000), currency: 'RUB', stage: won ? 'won' : 'open', originator_id: owner, owner_id: owner, control_points: '[]', created_at: closed as string, updated_at: closed as string, closed_at: won ? new Date(Date.parse(closed as string) + 86_400_000).toISOString() : null });
      }
      if (owner !== null && rnd() < 0.02) {
        const other = pick(managers.filter((m) => m.team === manager.team && m.id !== owner));
        transfers.push({ id: `T${pad(n)}`, lead_id: id, from_manager_id: owner, to_manager_id: other.id, reason: pick(['overloaded', 'vacation', 'wrong_region']), comment: null, status: pick(['approved', 'approved', 'rejected', 'cancelled']), requested_by: 'user:bench', decided_by: null, decision_comment: null, override_reason: null, created_at: new Date(created + 86_400_000).toISOString(), decided_at: null });
      }
    }
    await db.transaction().execute(async (trx) => {
      for (const [table, rows] of [['leads', leads], ['assignments', assignments], ['events', events], ['deals', deals], ['transfers', transfers], ['activities', activities]] as const) {
        for (const chunk of chunkForInsert(rows as object[])) await trx.insertInto(table).values(chunk as never).execute();
      }
    });
    if (n % 100_000 === 0 || n === options.leads) console.log(`bench: ${n} leads written`);
  }
}

function readKeptTime(dir: string | undefined): number {
  const file = join(dir as string, 'bench-reports.json');
  if (!existsSync(file)) throw new Error(`${dir} holds leads but no ${file}: not a directory this benchmark kept`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { now: number }).now;
}

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

export default async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      'period-days': { type: 'string', default: '30' },
      runs: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      pg: { type: 'boolean', default: false },
      only: { type: 'string' },
      'data-dir': { type: 'string' },
      rebuild: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const leads = Number(values.leads);
  const periodDays = Number(values['period-days']);
  const runs = Number(values.runs);
  const only = values.only?.split(',') ?? [...REPORTS];
  const unknown = only.filter((name) => !(REPORTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: no report called ${unknown.join(', ')} (there are ${REPORTS.join(', ')})`);
  const database = await prepareBenchDatabase({ embeddedPostgres: values.pg || process.env.BENCH_EMBEDDED_PG === '1', databaseUrl: process.env.DATABASE_URL, keep: false, dataDir: values['data-dir'] });
  console.log(`bench: ${database.description}`);
  const store = database.open();
  try {
    const migrated = await migrateToLatest(store);
    if (migrated.error) throw migrated.error;
    const kept = await store.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const reused = Number(kept.n) > 0;
    // A kept history was written at the time its settings file records; periods are asked relative to it.
    const now = reused ? readKeptTime(values['data-dir']) : Date.now();
    if (reused) console.log(`bench: reusing the ${Number(kept.n)} leads in ${values['data-dir']}`);
    else {
      const seeding = Date.now();
      await seed(store.db, { leads, days: Number(values.days), seed: Number(values.seed), now });
      console.log(`bench: history of ${leads} leads written in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
      if (values['data-dir']) writeFileSync(join(values['data-dir'], 'bench-reports.json'), JSON.stringify({ now }));
    }
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    // The triggers marked every seeded lead dirty; build the rollups as the background refresher (or `rebuild-rollups`) would.
    let rollupBuildSeconds: number | null = null;
    if (!reused || values.rebuild) {
      const building = Date.now();
      await rebuildRollups(ctx, (done) => {
        if (done % 100_000 === 0) console.log(`bench: rollups of ${done} leads built`);
      });
      rollupBuildSeconds = Math.round((Date.now() - building) / 100) / 10;
      console.log(`bench: rollups built in ${rollupBuildSeconds} s`);
    }
    const { app } = await buildApp({ ctx });
    const { plaintext: key } = await createApiKey(ctx, { name: 'bench', scopes: ['admin'] });
    const day = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);
    const query = `from=${day(now - (periodDays - 1) * 86_400_000)}&to=${day(now)}&grouping=day`;
    const figures: Record<string, { p50Ms: number; p95Ms: number }> = {};
    try {
      for (const report of only) {
        const times: number[] = [];
        for (let i = 0; i <= runs; i++) {
          const started = process.hrtime.bigint();
          const res = await app.inject({ method: 'GET', url: `/api/v1/reports/${report}?${query}`, headers: { 'x-api-key': key } });
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode !== 200) throw new Error(`${report}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (i > 0) times.push(ms);
        }
        times.sort((a, b) => a - b);
        figures[report] = { p50Ms: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)) };
        console.log(`bench: ${report}: p50 ${figures[report].p50Ms} ms, p95 ${figures[report].p95Ms} ms (${runs} runs)`);
      }
    } finally {
      await app.close();
    }
    console.log(JSON.stringify({ db: store.kind, leads: reused ? Number(kept.n) : leads, periodDays, rollupBuildSeconds, reports: figures }));
  } finally {
    await store.close();
    await database.dispose();
  }
}
