/**
 * Instrumentation for the server under test, loaded only by the benchmark:
 *   node --import tsx --import ./bench/support/server-probe.ts src/cli/main.ts serve
 * It changes nothing in src; it wraps, at run time, the database drivers (better-sqlite3
 * statements, pg client queries), the intake group-commit queue and the HTTP server, and
 * measures between a `probe-start` and a `probe-stop` message from the parent (IPC):
 *  - time per SQL statement (grouped by statement shape) and per transaction;
 *  - group-commit batches: requests and leads per transaction, queue wait, transaction time;
 *  - server-side request time (first byte of the request to the end of the answer);
 *  - CPU used, event-loop utilisation and delay, GC pauses;
 *  - optionally a CPU profile of exactly that window (`cpuProfileFile`).
 * Overhead: two `process.hrtime.bigint()` calls and a map update per statement.
 *
 * What-if experiments (measure a change before making it in src): BENCH_SQLITE_PRAGMAS, e.g.
 * `wal_autocheckpoint=0`, is applied to every SQLite connection right after its first pragma.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------------------------------------
// Collected figures

interface StatementStat {
  count: number;
  totalMs: number;
  maxMs: number;
  prepareMs: number;
  rows: number;
  samples: number[];
}

interface TransactionRecord {
  ms: number;
  statements: number;
  statementMs: number;
  leads: number;
}

interface ProbeState {
  startedAt: number;
  statements: Map<string, StatementStat>;
  transactions: TransactionRecord[];
  batches: Array<{ requests: number; leads: number; ms: number }>;
  queueWaitMs: number[];
  inBatchMs: number[];
  serverMs: number[];
  gcMs: number;
  gcCount: number;
  cpu: NodeJS.CpuUsage;
  elu: EventLoopUtilization;
}

let state: ProbeState | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function freshState(): ProbeState {
  return {
    startedAt: now(),
    statements: new Map(),
    transactions: [],
    batches: [],
    queueWaitMs: [],
    inBatchMs: [],
    serverMs: [],
    gcMs: 0,
    gcCount: 0,
    cpu: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
  };
}

const shapes = new Map<string, string>();
/**
 * The statement without its value lists, so multi-row inserts of any size share one key. Only
 * the first 400 characters are looked at: hashing a 100 kB insert on every call would cost more
 * than the measurement is worth.
 */
function shapeOf(sql: string): string {
  const head = sql.length > 400 ? sql.slice(0, 400) : sql;
  let shape = shapes.get(head);
  if (shape !== undefined) return shape;
  shape = head
    .replace(/\s+/g, ' ')
    .replace(/\((?:\?|\$\d+)(?:, ?(?:\?|\$\d+))*\)/g, '(…)')
    .replace(/\((?:\?|\$\d+)(?:, ?(?:\?|\$\d+))*,? ?$/, '(…')
    .replace(/(?:, ?\(…\)?)+/g, ', …')
    .replace(/\$\d+/g, '?');
  if (shape.length > 150) shape = `${shape.slice(0, 147)}...`;
  if (shapes.size > 20_000) shapes.clear();
  shapes.set(head, shape);
  return shape;
}

/** Rows of the multi-row insert into "leads" in this statement (also inside a CTE), else 0. */
function rowsInserted(sql: string): number {
  const at = sql.indexOf('insert into "leads"');
  if (at < 0) return 0;
  const values = sql.indexOf(' values ', at);
  if (values < 0) return 1;
  // Count the top-level tuples of the values list; stop where the list's enclosing CTE closes.
  let rows = 0;
  let depth = 0;
  for (let i = values + 8; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === 40 /* ( */) {
      if (depth === 0) rows++;
      depth++;
    } else if (c === 41 /* ) */) {
      depth--;
      if (depth < 0) break;
    } else if (depth === 0 && c !== 32 && c !== 44 /* space, comma */) {
      break;
    }
  }
  return rows;
}

function record(sql: string, ms: number, prepareMs = 0): void {
  if (!state) return;
  const key = shapeOf(sql);
  let s = state.statements.get(key);
  if (!s) {
    s = { count: 0, totalMs: 0, maxMs: 0, prepareMs: 0, rows: 0, samples: [] };
    state.statements.set(key, s);
  }
  s.count++;
  s.totalMs += ms;
  s.prepareMs += prepareMs;
  if (ms > s.maxMs) s.maxMs = ms;
  s.rows += rowsInserted(sql);
  if (s.samples.length < 50_000) s.samples.push(ms);
}

/** Transaction bookkeeping, per connection (SQLite has one; pg one per pooled client). */
class TxTracker {
  private open: { start: number; statements: number; statementMs: number; leads: number } | undefined;

  statement(sql: string, started: number, ms: number): void {
    const head = sql.length < 12 ? sql.trim().toLowerCase() : '';
    if (head === 'begin') {
      this.open = { start: started, statements: 0, statementMs: 0, leads: 0 };
      return;
    }
    if (!this.open) return;
    this.open.statements++;
    this.open.statementMs += ms;
    this.open.leads += rowsInserted(sql);
    if (head === 'commit' || head === 'rollback') {
      state?.transactions.push({ ms: started + ms - this.open.start, statements: this.open.statements, statementMs: this.open.statementMs, leads: this.open.leads });
      this.open = undefined;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// better-sqlite3: time prepare() and the statement's run/all/get

function instrumentSqlite(): void {
  let Database: { prototype: { prepare: (sql: string) => unknown } } & (new (file: string) => { prepare(sql: string): object; close(): void });
  try {
    Database = require('better-sqlite3');
  } catch {
    return;
  }
  const probeDb = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probeDb.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probeDb.close();
  const tracker = new TxTracker();
  const prepareMs = new WeakMap<object, number>();
  const extraPragmas = (process.env.BENCH_SQLITE_PRAGMAS ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (extraPragmas.length > 0) {
    const proto = Database.prototype as unknown as { pragma: (this: object, source: string, options?: object) => unknown };
    const originalPragma = proto.pragma;
    const applied = new WeakSet<object>();
    proto.pragma = function (this: object, source: string, options?: object) {
      const result = originalPragma.call(this, source, options);
      if (!applied.has(this)) {
        applied.add(this);
        for (const extra of extraPragmas) originalPragma.call(this, extra);
        console.error(`[probe] SQLite what-if: ${extraPragmas.join(', ')}`);
      }
      return result;
    };
  }
  const originalPrepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: unknown, sql: string) {
    const t0 = now();
    const stmt = originalPrepare.call(this, sql) as object;
    prepareMs.set(stmt, now() - t0);
    return stmt;
  };
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statementProto[method];
    if (typeof original !== 'function') continue;
    statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = now();
      try {
        return original.apply(this, args);
      } finally {
        const t1 = now();
        const prep = prepareMs.get(this) ?? 0;
        prepareMs.delete(this);
        // The statement's time includes its prepare(): Kysely prepares every statement anew.
        record(this.source, t1 - t0 + prep, prep);
        tracker.statement(this.source, t0 - prep, t1 - t0 + prep);
      }
    };
  }
}

// ---------------------------------------------------------------------------------------------
// pg: time each promise-returning client.query(text, values)

function instrumentPg(): void {
  let pg: { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  try {
    pg = require('pg');
  } catch {
    return;
  }
  const trackers = new WeakMap<object, TxTracker>();
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : undefined;
    if (text === undefined || typeof args[args.length - 1] === 'function') return original.apply(this, args);
    let tracker = trackers.get(this);
    if (!tracker) {
      tracker = new TxTracker();
      trackers.set(this, tracker);
    }
    if (state && !captured.has(shapeOf(text)) && captured.size < 40 && !/^\s*(begin|commit|rollback)\s*$/i.test(text)) {
      captured.set(shapeOf(text), { text, values: Array.isArray(args[1]) ? [...(args[1] as unknown[])] : [] });
    }
    const t0 = now();
    const result = original.apply(this, args) as Promise<unknown>;
    const done = (): void => {
      const ms = now() - t0;
      record(text, ms);
      tracker.statement(text, t0, ms);
    };
    result.then(done, done);
    return result;
  };
}

/** One statement of each shape seen in the window, replayed afterwards without load (PostgreSQL). */
const captured = new Map<string, { text: string; values: unknown[] }>();

export interface ReplayedStatement {
  shape: string;
  /** Selects run again (median wall time of three, from a fresh connection with the server idle). */
  idleWallMs: number | null;
  planningMs: number | null;
  /** Selects only: EXPLAIN ANALYZE execution time. Writes are only planned (EXPLAIN without ANALYZE). */
  executionMs: number | null;
  error?: string;
}

/**
 * Replays the captured statements after the window, with the server idle: how long PostgreSQL
 * itself takes for each (planning, and execution for reads), to set against the wall time the
 * server saw under load, which adds the wait for the event loop to get to the answer.
 */
async function replayCaptured(): Promise<ReplayedStatement[]> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url) || captured.size === 0) return [];
  const pg = require('pg') as { Client: new (o: object) => { connect(): Promise<void>; query(t: string, v?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; end(): Promise<void> } };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const out: ReplayedStatement[] = [];
  try {
    await client.query('set statement_timeout = 10000');
    for (const [shape, { text, values }] of captured) {
      const isRead = /^\s*select\b/i.test(text);
      try {
        let idleWallMs: number | null = null;
        if (isRead) {
          const walls: number[] = [];
          for (let i = 0; i < 3; i++) {
            const t0 = now();
            await client.query(text, values);
            walls.push(now() - t0);
          }
          idleWallMs = median(walls);
        }
        const plans: number[] = [];
        const executions: number[] = [];
        for (let i = 0; i < 3; i++) {
          const { rows } = await client.query(`explain (${isRead ? 'analyze, ' : ''}summary, format json) ${text}`, values);
          const explained = (rows[0]?.['QUERY PLAN'] as Array<Record<string, number>> | undefined)?.[0];
          if (explained?.['Planning Time'] !== undefined) plans.push(explained['Planning Time']);
          if (explained?.['Execution Time'] !== undefined) executions.push(explained['Execution Time']);
        }
        out.push({ shape, idleWallMs, planningMs: plans.length ? median(plans) : null, executionMs: executions.length ? median(executions) : null });
      } catch (error) {
        out.push({ shape, idleWallMs: null, planningMs: null, executionMs: null, error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The group-commit queue (src/app/intake/intake-queue.ts), wrapped from outside

async function instrumentIntakeQueue(): Promise<void> {
  let mod: { IntakeQueue?: { prototype: Record<string, unknown> } };
  try {
    mod = (await import(new URL('../../src/app/intake/intake-queue.ts', import.meta.url).href)) as typeof mod;
  } catch (error) {
    console.error(`[probe] intake queue not instrumented: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const proto = mod.IntakeQueue?.prototype;
  if (!proto || typeof proto.submit !== 'function' || typeof proto.process !== 'function') {
    console.error('[probe] IntakeQueue has no submit/process; queue figures are not measured');
    return;
  }
  const submittedAt = new WeakMap<object, number>();
  const submit = proto.submit as (request: object) => Promise<unknown>;
  proto.submit = function (this: unknown, request: object) {
    submittedAt.set(request, now());
    return submit.call(this, request);
  };
  const processBatch = proto.process as (batch: Array<{ request: { leads: unknown[] } }>) => Promise<void>;
  proto.process = async function (this: unknown, batch: Array<{ request: { leads: unknown[] } }>) {
    const start = now();
    try {
      return await processBatch.call(this, batch);
    } finally {
      const end = now();
      if (state) {
        let leads = 0;
        for (const p of batch) {
          leads += p.request.leads.length;
          const at = submittedAt.get(p.request);
          if (at !== undefined) state.queueWaitMs.push(start - at);
          state.inBatchMs.push(end - start);
        }
        state.batches.push({ requests: batch.length, leads, ms: end - start });
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP: server-side time per request

function instrumentHttp(): void {
  const original = http.createServer;
  (http as { createServer: unknown }).createServer = function (...args: unknown[]) {
    const server = (original as (...a: unknown[]) => http.Server).apply(http, args);
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      const t0 = now();
      res.once('finish', () => state?.serverMs.push(now() - t0));
    });
    return server;
  };
}

new PerformanceObserver((list) => {
  if (!state) return;
  for (const entry of list.getEntries()) {
    state.gcMs += entry.duration;
    state.gcCount++;
  }
}).observe({ entryTypes: ['gc'] });

// ---------------------------------------------------------------------------------------------
// Report

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function summary(values: number[]): { n: number; mean: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { n: sorted.length, mean: r(sorted.length ? sum / sorted.length : 0), p50: r(percentile(sorted, 50)), p90: r(percentile(sorted, 90)), p99: r(percentile(sorted, 99)), max: r(sorted.at(-1) ?? 0) };
}

export interface ProbeReport {
  windowMs: number;
  cpu: { userMs: number; systemMs: number; utilisation: number };
  eventLoop: { utilisation: number; delayP50Ms: number; delayP99Ms: number; delayMaxMs: number };
  gc: { count: number; ms: number };
  statementsTimed: boolean;
  statements: Array<{ shape: string; count: number; totalMs: number; maxMs: number; prepareMs: number; rows: number; p50Ms: number; p99Ms: number }>;
  transactions: { count: number; ms: ReturnType<typeof summary>; statementsPerTx: number; statementMsPerTx: number; leadsPerTx: number; totalMs: number; statementTotalMs: number };
  batches: { count: number; requests: ReturnType<typeof summary>; leads: ReturnType<typeof summary>; ms: ReturnType<typeof summary>; totalMs: number };
  queueWaitMs: ReturnType<typeof summary>;
  inBatchMs: ReturnType<typeof summary>;
  serverMs: ReturnType<typeof summary>;
  cpuProfile: string | null;
  replayed: ReplayedStatement[];
}

let session: Session | undefined;
let profileFile: string | null = null;
/** Inline source maps of the scripts tsx compiled (its output is one line per module). */
let sourceMaps: Record<string, unknown> = {};

async function collectSourceMaps(s: Session): Promise<void> {
  sourceMaps = {};
  const urls = new Map<string, string>();
  s.on('Debugger.scriptParsed', (message) => {
    const { url, sourceMapURL } = message.params;
    if (url.startsWith('file://') && sourceMapURL?.startsWith('data:')) urls.set(url, sourceMapURL);
  });
  // Enabling the debugger reports every script already parsed; it is disabled again before profiling.
  await s.post('Debugger.enable');
  await new Promise((resolve) => setImmediate(resolve));
  await s.post('Debugger.disable');
  for (const [url, dataUrl] of urls) {
    try {
      const comma = dataUrl.indexOf(',');
      const meta = dataUrl.slice(0, comma);
      const payload = dataUrl.slice(comma + 1);
      sourceMaps[url] = JSON.parse(meta.endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload));
    } catch {
      // not a usable map; that file's lines stay as compiled
    }
  }
}

async function start(cpuProfileFile: string | null): Promise<void> {
  state = freshState();
  captured.clear();
  loopDelay.reset();
  loopDelay.enable();
  profileFile = cpuProfileFile;
  if (profileFile) {
    session = new Session();
    session.connect();
    await collectSourceMaps(session);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 1000) });
    await session.post('Profiler.start');
  }
  if (state) state.startedAt = now();
}

async function stop(): Promise<ProbeReport> {
  const s = state ?? freshState();
  state = undefined;
  let written: string | null = null;
  if (session && profileFile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    writeFileSync(`${profileFile}.sourcemaps.json`, JSON.stringify(sourceMaps));
    written = profileFile;
    session.disconnect();
    session = undefined;
  }
  loopDelay.disable();
  const windowMs = now() - s.startedAt;
  const cpu = process.cpuUsage(s.cpu);
  const elu = performance.eventLoopUtilization(s.elu);
  const replayed = timeStatements ? await replayCaptured().catch((error: unknown) => [{ shape: '(replay failed)', idleWallMs: null, planningMs: null, executionMs: null, error: String(error) }]) : [];
  const tx = s.transactions;
  const txTotal = tx.reduce((a, t) => a + t.ms, 0);
  const txStatementTotal = tx.reduce((a, t) => a + t.statementMs, 0);
  const per = (f: (t: TransactionRecord) => number): number => (tx.length ? Math.round((tx.reduce((a, t) => a + f(t), 0) / tx.length) * 100) / 100 : 0);
  return {
    windowMs: Math.round(windowMs),
    cpu: { userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), utilisation: Math.round(((cpu.user + cpu.system) / 1000 / windowMs) * 1000) / 1000 },
    eventLoop: {
      utilisation: Math.round(elu.utilization * 1000) / 1000,
      delayP50Ms: Math.round(loopDelay.percentile(50) / 1e4) / 100,
      delayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      delayMaxMs: Math.round(loopDelay.max / 1e4) / 100,
    },
    gc: { count: s.gcCount, ms: Math.round(s.gcMs) },
    statementsTimed: timeStatements,
    statements: [...s.statements]
      .map(([shape, st]) => {
        const q = summary(st.samples);
        return { shape, count: st.count, totalMs: st.totalMs, maxMs: st.maxMs, prepareMs: st.prepareMs, rows: st.rows, p50Ms: q.p50, p99Ms: q.p99 };
      })
      .sort((a, b) => b.totalMs - a.totalMs),
    transactions: {
      count: tx.length,
      ms: summary(tx.map((t) => t.ms)),
      statementsPerTx: per((t) => t.statements),
      statementMsPerTx: per((t) => t.statementMs),
      leadsPerTx: per((t) => t.leads),
      totalMs: Math.round(txTotal),
      statementTotalMs: Math.round(txStatementTotal),
    },
    batches: {
      count: s.batches.length,
      requests: summary(s.batches.map((b) => b.requests)),
      leads: summary(s.batches.map((b) => b.leads)),
      ms: summary(s.batches.map((b) => b.ms)),
      totalMs: Math.round(s.batches.reduce((a, b) => a + b.ms, 0)),
    },
    queueWaitMs: summary(s.queueWaitMs),
    inBatchMs: summary(s.inBatchMs),
    serverMs: summary(s.serverMs),
    cpuProfile: written,
    replayed,
  };
}

// Statement timing costs a few per cent of the server's CPU; a CPU profile alone goes without it.
const timeStatements = process.env.BENCH_PROBE_STATEMENTS !== '0';
if (timeStatements) {
  instrumentSqlite();
  instrumentPg();
}
instrumentHttp();
await instrumentIntakeQueue();

process.on('message', (message: { type?: string; cpuProfileFile?: string | null }) => {
  if (message?.type === 'probe-start') {
    void start(message.cpuProfileFile ?? null).then(() => process.send?.({ type: 'probe-started' }));
  } else if (message?.type === 'probe-stop') {
    void stop().then(
      (report) => process.send?.({ type: 'probe-report', report }),
      (error: unknown) => process.send?.({ type: 'probe-report', error: error instanceof Error ? error.message : String(error) }),
    );
  }
});
// The IPC channel must not keep the server alive after it has closed.
process.channel?.unref();
