/**
 * Lead list benchmark (issue 16 §3): how long a page of 50 leads takes at 1,000,000 leads, through
 * the HTTP app (inject, no socket: API-key auth, validation, the list use case with each lead's
 * latest decision and owner names, JSON), as the leads screen asks for it — no filter, by owner, by
 * status, by source, by period, combined, and with a deep cursor (keyset, ~90% of the way down);
 * and as a manager (own leads and the pool) and a head (the team's and the pool) through the list
 * use case (listLeadPage, the route's code without HTTP: the bench has no sessions).
 * The leads are written straight into the database with the reports benchmark's generator (leads
 * with their decision and trace, contacts, events, deals, transfers; bench/reports.ts `seed()`).
 *
 *   npm run bench -- lists                        # 1,000,000 leads on SQLite in a temporary DATA_DIR
 *   npm run bench -- lists --pg                   # the same on an embedded durable PostgreSQL
 *   npm run bench -- lists --leads 100000 --runs 20
 *   npm run bench -- lists --data-dir /tmp/lr-lists   # SQLite kept there: seeded once, measured again on later runs
 *   DATABASE_URL=postgres://… npm run bench -- lists  # an existing database (seeded only when it has no leads)
 *
 * Options: --leads <n> (1000000), --days <n> (90, the history), --runs <n> (30 measured requests per
 * case, after 2 warm-ups), --seed <n> (1), --explain (print each case's query plan: EXPLAIN QUERY PLAN
 * on SQLite, EXPLAIN ANALYZE on PostgreSQL).
 * Each case also times the list's statement alone (listLeads, `sqlP50Ms`), to tell the query from the rest of the request.
 * The last line printed is one JSON object: {"db","leads","seedSeconds","worstP95Ms","cases":{name:{"p50Ms","p95Ms","sqlP50Ms","items"}}}.
 * Issue 16's target is p95 ≤ 50 ms per page of 50 on 1,000,000 leads on both databases.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { createApiKey } from '../src/app/api-keys.js';
import { createAppContext } from '../src/app/app-context.js';
import type { UserPrincipal } from '../src/app/access/principal.js';
import { encodeCursor, listLeadPage } from '../src/app/leads/read-leads.js';
import { buildApp } from '../src/http/build-app.js';
import { openStore, type Store } from '../src/store/database.js';
import { listLeads, type LeadListFilter } from '../src/store/lead-queries.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { Database } from '../src/store/schema.js';
import { prepareBenchDatabase } from './support/bench-database.js';
import { seed } from './reports.js';

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

interface Case {
  name: string;
  /** The query string of GET /api/v1/leads (limit=50 added). */
  query: Record<string, string>;
  /** The same as the store's filter, for --explain. */
  filter: LeadListFilter;
  after?: { createdAt: string; id: string };
  /** Asked as this signed-in person through the list use case (listLeadPage) rather than with the admin key over HTTP. */
  principal?: UserPrincipal;
}

/** The cases, from what is in the database: the busiest owner, a mid-size source, a week in the middle of the history, a cursor deep down. */
async function casesOf(db: Kysely<Database>): Promise<Case[]> {
  const owner = await db.selectFrom('leads').select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')]).where('owner_id', 'is not', null).groupBy('owner_id').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
  const ownerId = owner.owner_id as string;
  const newest = await db.selectFrom('leads').select('created_at').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
  const oldest = await db.selectFrom('leads').select('created_at').orderBy('created_at', 'asc').limit(1).executeTakeFirstOrThrow();
  const total = Number((await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const mid = (Date.parse(newest.created_at) + Date.parse(oldest.created_at)) / 2;
  const createdFrom = new Date(mid - 3.5 * 86_400_000).toISOString();
  const createdTo = new Date(mid + 3.5 * 86_400_000).toISOString();
  const deep = await db.selectFrom('leads').select(['created_at', 'id']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).offset(Math.floor(total * 0.9)).executeTakeFirstOrThrow();
  const deepOwner = await db.selectFrom('leads').select(['created_at', 'id']).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).offset(Math.floor(Number(owner.n) * 0.9)).executeTakeFirstOrThrow();
  const after = { createdAt: deep.created_at, id: deep.id };
  const afterOwner = { createdAt: deepOwner.created_at, id: deepOwner.id };
  const open = ['new', 'in_progress', 'qualified', 'proposal'];
  const ownerRow = await db.selectFrom('managers').select(['id', 'team_id']).where('id', '=', ownerId).executeTakeFirstOrThrow();
  const team = (await db.selectFrom('managers').select('id').where('team_id', '=', ownerRow.team_id).execute()).map((m) => m.id);
  const manager: UserPrincipal = { kind: 'user', userId: 'bench-manager', name: 'Bench manager', role: 'manager', teamId: ownerRow.team_id, managerId: ownerId };
  const head: UserPrincipal = { kind: 'user', userId: 'bench-head', name: 'Bench head', role: 'head', teamId: ownerRow.team_id, managerId: null };
  const teamView = { visibility: { ownerIds: team, poolStatus: 'pool' } };
  return [
    { name: 'newest', query: {}, filter: {} },
    { name: 'owner', query: { ownerId }, filter: { ownerId } },
    { name: 'status', query: { status: 'new' }, filter: { statuses: ['new'] } },
    { name: 'status-rare', query: { status: 'pool' }, filter: { statuses: ['pool'] } },
    { name: 'statuses-open', query: { status: open.join(',') }, filter: { statuses: open } },
    { name: 'source', query: { source: 'partner' }, filter: { source: 'partner' } },
    { name: 'period', query: { createdFrom, createdTo }, filter: { createdFrom, createdTo } },
    { name: 'owner-status', query: { ownerId, status: 'in_progress' }, filter: { ownerId, statuses: ['in_progress'] } },
    { name: 'source-period', query: { source: 'partner', createdFrom, createdTo }, filter: { source: 'partner', createdFrom, createdTo } },
    { name: 'deep-cursor', query: { cursor: encodeCursor({ createdAt: after.createdAt, id: after.id }) }, filter: {}, after },
    { name: 'owner-deep-cursor', query: { ownerId, cursor: encodeCursor(afterOwner) }, filter: { ownerId }, after: afterOwner },
    { name: 'status-deep-cursor', query: { status: 'new', cursor: encodeCursor(after) }, filter: { statuses: ['new'] }, after },
    { name: 'as-manager', query: {}, filter: { visibility: { ownerIds: [ownerId], poolStatus: 'pool' } }, principal: manager },
    { name: 'as-head', query: {}, filter: teamView, principal: head },
    { name: 'as-head-status', query: { status: 'in_progress' }, filter: { ...teamView, statuses: ['in_progress'] }, principal: head },
    { name: 'as-head-deep-cursor', query: { cursor: encodeCursor(after) }, filter: teamView, after, principal: head },
  ];
}

/** Runs the store's list query through a plugin that keeps each statement, then asks the database for its plan. */
async function explain(store: Store, c: Case): Promise<string> {
  const nodes: RootOperationNode[] = [];
  const spy: KyselyPlugin = {
    transformQuery: ({ node }) => {
      nodes.push(node);
      return node;
    },
    transformResult: async ({ result }) => await Promise.resolve(result),
  };
  await listLeads(store.db.withPlugin(spy), c.filter, { limit: 51, ...(c.after ? { after: c.after } : {}) });
  const node = nodes[nodes.length - 1];
  if (!node) return '(no statement)';
  const compiled = store.db.getExecutor().compileQuery(node, { queryId: 'explain' });
  const prefix = store.kind === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ';
  const plan = await store.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  const lines = plan.rows.map((r) => (store.kind === 'sqlite' ? String(r.detail) : String(r['QUERY PLAN'])));
  return `${compiled.sql}\n      ${lines.join('\n      ')}`;
}

export default async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      runs: { type: 'string', default: '30' },
      seed: { type: 'string', default: '1' },
      pg: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      explain: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const leads = Number(values.leads);
  const runs = Number(values.runs);
  const dataDir = values['data-dir'];
  let database: { kind: string; description: string; open(): Store; dispose(): Promise<void> };
  if (dataDir && !values.pg) {
    if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });
    database = { kind: 'sqlite', description: `SQLite (WAL), kept in ${dataDir}`, open: () => openStore({ kind: 'sqlite', file: join(dataDir, 'leadrouter.sqlite') }), dispose: async () => {} };
  } else {
    database = await prepareBenchDatabase({ embeddedPostgres: values.pg || process.env.BENCH_EMBEDDED_PG === '1', databaseUrl: process.env.DATABASE_URL, keep: false });
  }
  console.log(`bench: ${database.description}`);
  const store = database.open();
  try {
    const migrated = await migrateToLatest(store);
    if (migrated.error) throw migrated.error;
    const present = Number((await store.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let seedSeconds: number | null = null;
    if (present === 0) {
      const seeding = Date.now();
      await seed(store.db, { leads, days: Number(values.days), seed: Number(values.seed), now: Date.now() });
      seedSeconds = Math.round((Date.now() - seeding) / 100) / 10;
      console.log(`bench: ${leads} leads written in ${seedSeconds} s (${Math.round(leads / seedSeconds)} leads/s)`);
      // The database's statistics, as a running one gets from autovacuum (PostgreSQL); SQLite has none unless asked.
      if (store.kind === 'postgres') await sql`analyze`.execute(store.db);
    } else {
      console.log(`bench: ${present} leads already there, not seeding`);
    }
    const count = present || leads;
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    const { app } = await buildApp({ ctx });
    const { plaintext: key } = await createApiKey(ctx, { name: 'bench-lists', scopes: ['admin'] });
    const figures: Record<string, { p50Ms: number; p95Ms: number; sqlP50Ms: number; items: number }> = {};
    try {
      for (const c of await casesOf(store.db)) {
        if (values.explain) console.log(`bench: ${c.name}: ${await explain(store, c)}`);
        const url = `/api/v1/leads?${new URLSearchParams({ ...c.query, limit: '50' }).toString()}`;
        const times: number[] = [];
        let items = 0;
        for (let i = 0; i < runs + 2; i++) {
          const started = process.hrtime.bigint();
          if (c.principal) {
            const { cursor, status, ...rest } = c.query;
            const page = await listLeadPage(ctx, c.principal, { ...rest, ...(status ? { statuses: status.split(',') } : {}) }, { limit: 50, cursor });
            items = JSON.parse(JSON.stringify(page.items)).length as number;
          } else {
            const res = await app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
            if (res.statusCode !== 200) throw new Error(`${c.name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
            items = (JSON.parse(res.body) as { items: unknown[] }).items.length;
          }
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (i >= 2) times.push(ms);
        }
        times.sort((a, b) => a - b);
        // The list's own statement alone (listLeads, the store query of the page), to tell the query from the rest of the request.
        const sqlTimes: number[] = [];
        for (let i = 0; i < runs; i++) {
          const started = process.hrtime.bigint();
          await listLeads(store.db, c.filter, { limit: 51, ...(c.after ? { after: c.after } : {}) });
          sqlTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        sqlTimes.sort((a, b) => a - b);
        const round = (ms: number) => Math.round(ms * 10) / 10;
        figures[c.name] = { p50Ms: round(percentile(times, 0.5)), p95Ms: round(percentile(times, 0.95)), sqlP50Ms: round(percentile(sqlTimes, 0.5)), items };
        console.log(`bench: ${c.name}: p50 ${figures[c.name]?.p50Ms} ms, p95 ${figures[c.name]?.p95Ms} ms, ${items} items (${runs} runs); the list query alone p50 ${figures[c.name]?.sqlP50Ms} ms`);
      }
    } finally {
      await app.close();
    }
    const worst = Math.max(...Object.values(figures).map((f) => f.p95Ms));
    console.log(`bench: worst p95 ${worst} ms (target ≤ 50 ms)`);
    console.log(JSON.stringify({ db: store.kind, leads: count, seedSeconds, worstP95Ms: worst, cases: figures }));
  } finally {
    await store.close();
    await database.dispose();
  }
}
