/**
 * Intake benchmark: how many leads per second the real server accepts (normalised, matched,
 * routed with the demo rules and stored durably before the answer), against the ceiling of
 * this machine, a bare Fastify route that only echoes the body, measured in the same run with
 * the same load (autocannon, 50 connections, 10 s after a 2 s warm-up).
 *
 *   npm run bench -- intake                       # SQLite in a fresh temporary DATA_DIR
 *   npm run bench -- intake --pg                  # fresh database in an embedded durable PostgreSQL
 *   BENCH_EMBEDDED_PG=1 npm run bench -- intake   # the same
 *   DATABASE_URL=postgres://… npm run bench -- intake
 *
 * Options: --duration <s> (10), --warmup <s> (2), --connections <n> (50), --demo-leads <n> (2000),
 * --probe (time per statement, transaction and group-commit batch inside the server),
 * --cpu-prof [--cpu-prof-dir <dir>] (CPU profile of the server during the measured window,
 * summarised at the end; without --probe, so the profile does not include the timing wrappers), --keep (keep the temporary SQLite directory),
 * --quiet-wait <s> (120: before each load, wait up to this long for other work on the machine to stop),
 * --retries <n> (3: measure a window again, up to n times, when other work took more than 15% of a core),
 * --skip-floor (do not measure the write floor, the same rows written by a bare server into a copy of
 * the demo database, see bench/support/write-floor-server.ts, nor one INSERT per request),
 * --high-priority (needs root: run the servers, the load generator and an embedded PostgreSQL at
 * nice -10, so other work on a shared machine disturbs the figures less).
 *
 * Every server runs as a child process; the load generator runs here. The last line printed is
 * one JSON object: {"leadsPerSec","p50Ms","p99Ms","ceilingPerSec","ratio","db"}, with "writeFloorPerSec" when the
 * write floor was measured.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, setPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { copyPostgresDatabase, prepareBenchDatabase, storedFigures, tempDir, type BenchDatabase, type StoredFigures } from './support/bench-database.js';
import { summariseCpuProfileFile } from './support/cpuprofile-summary.js';
import { generateLeadRequests, type BenchRequest } from './support/lead-bodies.js';
import { commandCpuMs, freePort, machineCpuMs, postgresPids, processCpuMs, request, runToEnd, spawnChild, stopChild, waitForHttp, type Child } from './support/processes.js';
import type { ProbeReport } from './support/server-probe.js';
import { numberOption } from './support/number-option.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HIGH_PRIORITY_NICE = -10;
// The flags `npm start` and `leadrouter` run the server with; the echo ceiling gets the same.
const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
const TARGETS = { sqlite: { ratio: 0.35, p99Ms: 25 }, postgres: { ratio: 0.2, p99Ms: Infinity } } as const;

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  demoLeads: number;
  embeddedPostgres: boolean;
  probe: boolean;
  cpuProfDir: string | null;
  keep: boolean;
  quietWait: number;
  retries: number;
  priority: number | null;
  floor: boolean;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      'demo-leads': { type: 'string', default: '2000' },
      pg: { type: 'boolean', default: false },
      probe: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'cpu-prof-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '120' },
      retries: { type: 'string', default: '3' },
      'high-priority': { type: 'boolean', default: false },
      'skip-floor': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = numberOption;
  const cpuProf = values['cpu-prof'] || values['cpu-prof-dir'] !== undefined;
  return {
    duration: num('duration', values.duration, 1, 600),
    warmup: num('warmup', values.warmup, 0, 120),
    connections: Math.floor(num('connections', values.connections, 1, 1000)),
    demoLeads: Math.floor(num('demo-leads', values['demo-leads'], 0, 1_000_000)),
    embeddedPostgres: values.pg || process.env.BENCH_EMBEDDED_PG === '1',
    probe: values.probe,
    cpuProfDir: cpuProf ? resolve(values['cpu-prof-dir'] ?? tempDir('leadrouter-cpu-prof-')) : null,
    keep: values.keep,
    quietWait: num('quiet-wait', values['quiet-wait'], 0, 3600),
    retries: Math.floor(num('retries', values.retries, 0, 20)),
    priority: values['high-priority'] ? HIGH_PRIORITY_NICE : null,
    floor: !values['skip-floor'],
  };
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadResult {
  result: Result;
  sent: number;
}

async function load(url: string, requests: BenchRequest[], cursor: { next: number }, apiKey: string, connections: number, seconds: number): Promise<LoadResult> {
  const start = cursor.next;
  const instance = autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        // A fresh headers object each time: autocannon writes Content-Length into it.
        setupRequest: (req) => {
          const r = requests[cursor.next++ % requests.length] as BenchRequest;
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': apiKey };
          if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
          return { ...req, body: r.body, headers };
        },
      },
    ],
  });
  const result = await instance;
  return { result, sent: cursor.next - start };
}

// ---------------------------------------------------------------------------------------------
// Where the cores went while a load ran: the server, the load generator (this process),
// PostgreSQL, and everything else (other work on the machine disturbs the figures).

interface CpuWindow {
  wallMs: number;
  machineBusy: number;
  server: number;
  bench: number;
  postgres: number;
}

async function withCpu<T>(server: Child, postgres: boolean, run: () => Promise<T>): Promise<{ value: T; cpu: CpuWindow }> {
  const pid = server.process.pid ?? 0;
  const at = Date.now();
  const machine = machineCpuMs();
  const serverMs = processCpuMs(pid);
  const bench = process.cpuUsage();
  const pg = postgres ? commandCpuMs('postgres') : 0;
  const value = await run();
  const benchUsed = process.cpuUsage(bench);
  return {
    value,
    cpu: {
      wallMs: Date.now() - at,
      machineBusy: machineCpuMs().busy - machine.busy,
      server: processCpuMs(pid) - serverMs,
      bench: (benchUsed.user + benchUsed.system) / 1000,
      postgres: postgres ? commandCpuMs('postgres') - pg : 0,
    },
  };
}

const OTHER_CPU_WARNING = 0.15;

/**
 * On a shared machine other work disturbs the figures: before each load, wait (bounded) until
 * the machine has been nearly idle for three seconds.
 */
async function waitForQuiet(maxSeconds: number): Promise<void> {
  const deadline = Date.now() + maxSeconds * 1000;
  let announced = false;
  let quietSeconds = 0;
  for (;;) {
    const a = machineCpuMs();
    await new Promise((r) => setTimeout(r, 1000));
    const b = machineCpuMs();
    const busy = b.total > a.total ? (b.busy - a.busy) / ((b.total - a.total) / cpus().length) : 0;
    quietSeconds = busy < 0.2 ? quietSeconds + 1 : 0;
    if (quietSeconds >= 3) return;
    if (busy < 0.2) continue;
    if (Date.now() >= deadline) {
      console.log(`  note: the machine is still busy (${(busy * 100).toFixed(0)}% of a core used by other work) after waiting ${maxSeconds} s; measuring anyway`);
      return;
    }
    if (!announced) console.log(`  waiting for other work on the machine to finish (${(busy * 100).toFixed(0)}% of a core busy; up to ${maxSeconds} s)`);
    announced = true;
  }
}

/** CPU used by other processes during a window, as a share of one core. */
function otherShare(c: CpuWindow): number {
  return Math.max(0, c.machineBusy - c.server - c.bench - c.postgres) / c.wallMs;
}

function describeCpu(c: CpuWindow, serverName: string): string {
  const cores = cpus().length;
  const pct = (ms: number): string => `${((ms / c.wallMs) * 100).toFixed(0)}%`;
  const other = Math.max(0, c.machineBusy - c.server - c.bench - c.postgres);
  const line = `  CPU (${cores} cores = ${cores * 100}%): machine busy ${pct(c.machineBusy)}; ${serverName} ${pct(c.server)}, load generator ${pct(c.bench)}${c.postgres ? `, postgres processes ${pct(c.postgres)}` : ''}, everything else ${pct(other)}`;
  return other / c.wallMs > OTHER_CPU_WARNING ? `${line}\n  WARNING: other processes used ${pct(other)} of a core during this measurement; the figure is disturbed` : line;
}

// ---------------------------------------------------------------------------------------------
// Printing

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

function describeLoad(label: string, { result }: LoadResult): string {
  const l = result.latency;
  const codes = Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${s.count ?? 0}`)
    .join(' ');
  return [
    `${label}: ${round(result['2xx'] / result.duration)} 2xx/s (mean of 1-s samples ${round(result.requests.average)}, min ${result.requests.min}, max ${result.requests.max}) over ${result.duration.toFixed(1)} s`,
    `  latency ms: p50 ${l.p50}  p90 ${l.p90}  p97.5 ${l.p97_5}  p99 ${l.p99}  max ${l.max}  mean ${round(l.average, 2)}`,
    `  responses: 2xx ${result['2xx']}  non-2xx ${result.non2xx}  errors ${result.errors}  timeouts ${result.timeouts}  [${codes}]`,
  ].join('\n');
}

function machineInfo(): string {
  const sh = (cmd: string): string => {
    try {
      return execSync(cmd, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
    } catch {
      return '?';
    }
  };
  const commit = sh('git rev-parse --short HEAD').replace(/^\?$/, '? (not a git checkout)');
  const dirty = commit.startsWith('?') ? '' : sh('git status --porcelain src') ? ' (src has uncommitted changes)' : '';
  return [
    `machine: ${cpus().length} CPUs (nproc ${sh('nproc')}), ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    `code: ${commit}${dirty}; started ${new Date().toISOString()} (Moscow ${new Date().toLocaleTimeString('ru-RU', { timeZone: 'Europe/Moscow' })}; manager working hours make routing depend on the time of day)`,
  ].join('\n');
}

function describeProbe(report: ProbeReport, leadsPerSec: number): string {
  const w = report.windowMs;
  const lines: string[] = [];
  lines.push(`server process during the measured window (${(w / 1000).toFixed(1)} s):`);
  lines.push(`  CPU ${report.cpu.userMs + report.cpu.systemMs} ms (user ${report.cpu.userMs}, system ${report.cpu.systemMs}) = ${(report.cpu.utilisation * 100).toFixed(0)}% of one core; ${leadsPerSec > 0 ? ((report.cpu.userMs + report.cpu.systemMs) / (leadsPerSec * (w / 1000))).toFixed(3) : '-'} ms CPU per lead`);
  lines.push(`  event loop: utilisation ${(report.eventLoop.utilisation * 100).toFixed(0)}%, delay p50 ${report.eventLoop.delayP50Ms} ms p99 ${report.eventLoop.delayP99Ms} ms max ${report.eventLoop.delayMaxMs} ms; GC ${report.gc.count} pauses, ${report.gc.ms} ms`);
  const b = report.batches;
  if (b.count === 0) lines.push('  the intake transactions ran on the intake thread, which the probe does not see: INTAKE_THREAD=false probes them in the request thread');
  lines.push(`  group commit: ${b.count} batches, requests per batch mean ${b.requests.mean} p50 ${b.requests.p50} p90 ${b.requests.p90} max ${b.requests.max}; batch ms p50 ${b.ms.p50} p99 ${b.ms.p99}; busy ${((b.totalMs / w) * 100).toFixed(0)}% of the window`);
  lines.push(`  per request, ms: queue wait p50 ${report.queueWaitMs.p50} p99 ${report.queueWaitMs.p99}; in its batch p50 ${report.inBatchMs.p50} p99 ${report.inBatchMs.p99}; server total (request to answer) p50 ${report.serverMs.p50} p99 ${report.serverMs.p99} mean ${report.serverMs.mean}`);
  if (!report.statementsTimed) {
    lines.push('  SQL statements and transactions: not timed (run with --probe)');
    return lines.join('\n');
  }
  const t = report.transactions;
  lines.push(`  transactions: ${t.count} (${(t.count / (w / 1000)).toFixed(0)}/s), ${t.leadsPerTx} leads and ${t.statementsPerTx} statements each; duration ms p50 ${t.ms.p50} p90 ${t.ms.p90} p99 ${t.ms.p99} max ${t.ms.max}`);
  lines.push(`    inside transactions: ${t.totalMs} ms (${((t.totalMs / w) * 100).toFixed(0)}% of the window), of which in SQL statements ${t.statementTotalMs} ms (${t.totalMs ? ((t.statementTotalMs / t.totalMs) * 100).toFixed(0) : 0}%), JS between statements ${t.totalMs - t.statementTotalMs} ms`);
  lines.push('  SQL statements by total time (count, total ms, % of window, mean / p50 / p99 / max ms, of which prepare ms, rows inserted):');
  for (const s of report.statements.slice(0, 18)) {
    const ms = (x: number): string => x.toFixed(2).padStart(6);
    lines.push(
      `    ${String(s.count).padStart(6)} ${s.totalMs.toFixed(0).padStart(6)} ${((s.totalMs / w) * 100).toFixed(1).padStart(5)}%  ${ms(s.totalMs / s.count)} ${ms(s.p50Ms)} ${ms(s.p99Ms)} ${ms(s.maxMs)} ${s.prepareMs.toFixed(0).padStart(5)} ${s.rows ? String(s.rows).padStart(6) : '      '}  ${s.shape}`,
    );
  }
  if (report.replayed.length > 0) {
    const byShape = new Map(report.statements.map((s) => [s.shape, s]));
    lines.push('  the same statements replayed after the window with the server idle (PostgreSQL): under load p50 ms, idle wall ms (reads), planning ms, execution ms (reads; writes are only planned):');
    const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '     -' : x.toFixed(2).padStart(6));
    for (const r of report.replayed.sort((a, b) => (byShape.get(b.shape)?.totalMs ?? 0) - (byShape.get(a.shape)?.totalMs ?? 0)).slice(0, 14)) {
      lines.push(`    ${ms(byShape.get(r.shape)?.p50Ms)} ${ms(r.idleWallMs)} ${ms(r.planningMs)} ${ms(r.executionMs)}  ${r.shape}${r.error ? `  (replay failed: ${r.error.slice(0, 80)})` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The distinct error messages in the server's log (pino JSON lines), with counts, for an invalid run. */
function summariseServerLog(tail: string): string {
  const counts = new Map<string, number>();
  for (const line of tail.split('\n')) {
    let message = line;
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } };
      message = entry.err ? `${entry.err.type ?? 'Error'}: ${entry.err.message ?? ''} (${entry.msg ?? ''})` : (entry.msg ?? line);
    } catch {
      // not JSON: keep the line
    }
    message = message.length > 300 ? `${message.slice(0, 297)}...` : message;
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([m, n]) => `  ${n}× ${m}`).join('\n') || '  (no output)';
}

function describeStored(before: number, after: StoredFigures, twoXx: number, inFlightMax: number): string[] {
  const s = after.since;
  const stored = after.leads - before;
  const lines = [
    `stored: ${stored} new leads (database total ${after.leads}); answered 2xx during warm-up and measurement: ${twoXx}`,
    `  of the new leads: ${s.pooled} to the pool, ${s.duplicates} flagged duplicates, ${s.withContact} linked to a contact, ${s.withCompany} to a company; decided via ${Object.entries(s.byVia)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; ${s.events} events, ${s.outbox} outbox rows`,
  ];
  // Requests in flight when a load phase ends are stored but not counted by the load generator.
  if (stored < twoXx || stored > twoXx + inFlightMax) lines.push(`  WARNING: stored leads (${stored}) do not match the 2xx answers (${twoXx}; up to ${inFlightMax} more may be in flight at phase ends)`);
  return lines;
}

/**
 * Where the write floor of one mode writes: a fresh copy of the demo database, so each mode starts
 * from the tables the real server starts from. `dispose` deletes the copy (and may run twice).
 */
async function prepareFloorDatabase(db: BenchDatabase, mode: string): Promise<{ env: Record<string, string>; dispose(): Promise<void> } | string> {
  if (db.kind === 'sqlite') {
    const dir = db.env.DATA_DIR;
    if (!dir) return 'the SQLite file comes from DATABASE_URL, so there is no demo copy to write into';
    const file = join(dir, `write-floor-${mode}.sqlite`);
    return {
      env: { FLOOR_SOURCE_DB: join(dir, 'leadrouter.sqlite'), FLOOR_DB: file },
      dispose: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  if (!db.env.DATABASE_URL) return 'no DATABASE_URL';
  try {
    const copy = await copyPostgresDatabase(db.env.DATABASE_URL);
    return { env: { FLOOR_DATABASE_URL: copy.url }, dispose: () => copy.drop() };
  } catch (error) {
    return `could not copy the database (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The floor child sees only the FLOOR_* settings given here, never ones left in the shell. */
function withoutFloorSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('FLOOR_')));
}

function invalidLoad(r: Result): string | null {
  return r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 ? `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : null;
}

// ---------------------------------------------------------------------------------------------

export default async function intakeBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const runId = randomBytes(4).toString('hex');
  const apiKey = `lr_bench_${randomBytes(24).toString('hex')}`;
  // With --high-priority every child starts under nice(1), so all its threads get the priority.
  const nodeCmd = (args: string[]): [string, string[]] => (options.priority === null ? [process.execPath, args] : ['nice', ['-n', String(options.priority), process.execPath, ...args]]);
  const cleanups: Array<() => Promise<void>> = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const c of cleanups.reverse()) await c().catch((error: unknown) => console.error(`bench: cleanup: ${String(error)}`));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`bench: ${signal}, stopping children`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Everything is bounded: seeding, starting, loading and stopping must fit in this budget.
  const servers = options.floor ? 4 : 2;
  const budgetMs = (600 + servers * (1 + options.retries) * (options.quietWait + 2 * (options.duration + options.warmup))) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`bench: time budget of ${budgetMs / 1000} s exceeded; stopping`);
    setTimeout(() => process.exit(1), 30_000).unref();
    void cleanup().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();

  try {
    console.log(machineInfo());
    if (options.priority !== null) {
      try {
        setPriority(options.priority);
        console.log(`priority: the load generator, the servers${options.embeddedPostgres ? ' and the embedded PostgreSQL' : ''} run at nice ${options.priority}`);
      } catch (error) {
        console.log(`priority: could not set nice ${options.priority} (${error instanceof Error ? error.message : String(error)}); children start under nice(1) and may fail the same way`);
      }
    }
    const bodyCount = Math.ceil((options.duration + options.warmup) * 4000) + 5000;
    const { requests, mix } = generateLeadRequests(bodyCount, runId);
    const meanBytes = Math.round(requests.reduce((a, r) => a + Buffer.byteLength(r.body), 0) / requests.length);
    console.log(
      `load: autocannon, ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s measured per target; ${requests.length} distinct lead bodies (mean ${meanBytes} bytes; ${((mix.repeats / requests.length) * 100).toFixed(0)}% repeat an earlier phone/e-mail, ${((mix.knownClients / requests.length) * 100).toFixed(0)}% match demo clients, ${((mix.withIdempotencyKey / requests.length) * 100).toFixed(0)}% carry an Idempotency-Key)`,
    );

    // A server other than leadrouter (the echo ceiling, the write floor): started, warmed up,
    // measured (again when other work disturbed the window) and stopped.
    const measureSideServer = async (label: string, script: string, env: NodeJS.ProcessEnv, postgres = false): Promise<{ value: LoadResult; cpu: CpuWindow }> => {
      const port = await freePort();
      const child = spawnChild(label, ...nodeCmd([...SERVER_NODE_FLAGS, '--import', 'tsx', script]), { cwd: ROOT, env: { ...withoutFloorSettings(process.env), ...env, PORT: String(port), HOST: '127.0.0.1' } });
      cleanups.push(async () => void (await stopChild(child, 5_000)));
      await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
      const url = `http://127.0.0.1:${port}/api/v1/leads`;
      const cursor = { next: 0 };
      let window: { value: LoadResult; cpu: CpuWindow } | undefined;
      for (let attempt = 0; ; attempt++) {
        await waitForQuiet(options.quietWait);
        if (attempt === 0 && options.warmup > 0) await load(url, requests, cursor, apiKey, options.connections, options.warmup);
        window = await withCpu(child, postgres, () => load(url, requests, cursor, apiKey, options.connections, options.duration));
        if (otherShare(window.cpu) <= OTHER_CPU_WARNING || attempt >= options.retries) break;
        console.log(`  ${label} window disturbed (other work used ${(otherShare(window.cpu) * 100).toFixed(0)}% of a core, ${Math.round(window.value.result['2xx'] / window.value.result.duration)} req/s); measuring again (${attempt + 1} of ${options.retries})`);
      }
      await stopChild(child, 5_000);
      return window;
    };

    // --- 1. The ceiling: bare Fastify echoing the body.
    const { value: ceiling, cpu: ceilingCpu } = await measureSideServer('echo server', 'bench/support/echo-server.ts', {});
    console.log(describeLoad('ceiling (bare Fastify echo)', ceiling));
    console.log(describeCpu(ceilingCpu, 'echo server'));

    // --- 2. The database and the demo data.
    const db: BenchDatabase = await prepareBenchDatabase({ embeddedPostgres: options.embeddedPostgres, databaseUrl: process.env.DATABASE_URL, keep: options.keep });
    cleanups.push(() => db.dispose());
    console.log(`database: ${db.description}`);
    if (options.priority !== null && options.embeddedPostgres && db.env.DATABASE_URL) {
      const pids = postgresPids(Number(new URL(db.env.DATABASE_URL).port));
      for (const pid of pids) setPriority(pid, options.priority);
      console.log(`  ${pids.length} PostgreSQL processes set to nice ${options.priority} (new backends inherit it from the postmaster)`);
    }
    const serverEnv: NodeJS.ProcessEnv = { ...process.env, ...db.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', LEADROUTER_ADMIN_API_KEY: apiKey };
    if (db.kind === 'sqlite' && !process.env.DATABASE_URL) delete serverEnv.DATABASE_URL;
    const seedStarted = Date.now();
    const seeded = await runToEnd('leadrouter demo', process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--leads', String(options.demoLeads)], { cwd: ROOT, env: serverEnv, timeoutMs: 300_000 });
    if (seeded.code !== 0) {
      if (db.fresh) throw new Error(`leadrouter demo failed (exit ${seeded.code}):\n${seeded.output}`);
      console.log(`demo data not loaded (the database is not empty), using what is there: ${seeded.output.split('\n').at(-1) ?? ''}`);
    } else {
      console.log(`demo data: ${seeded.output.split('\n').find((l) => l.startsWith('Loaded')) ?? 'loaded'} (${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`);
    }

    // --- 3. The write floor: the same rows written with nothing else done (see write-floor-server.ts).
    // It only informs: when it cannot be measured the run goes on without it.
    const floors: Array<{ mode: string; perSec: number; p99Ms: number }> = [];
    for (const mode of options.floor ? (['intake', 'one-insert'] as const) : []) {
      const label = mode === 'intake' ? 'write floor: the rows of each lead, group commit, no intake logic' : 'one INSERT per request (the reference the targets were set against)';
      const copy = await prepareFloorDatabase(db, mode);
      if (typeof copy === 'string') {
        console.log(`${label}: not measured, ${copy}`);
        continue;
      }
      cleanups.push(() => copy.dispose());
      try {
        const { value, cpu } = await measureSideServer(`write floor (${mode})`, 'bench/support/write-floor-server.ts', { ...withoutFloorSettings(db.env), ...copy.env, FLOOR_MODE: mode }, db.kind === 'postgres');
        console.log(describeLoad(label, value));
        console.log(describeCpu(cpu, 'floor server'));
        const invalid = invalidLoad(value.result);
        if (invalid) console.log(`  the floor's answers were not all 201 (${invalid}); its figure is left out`);
        else if (value.result['2xx'] > 0) floors.push({ mode, perSec: value.result['2xx'] / value.result.duration, p99Ms: value.result.latency.p99 });
      } catch (error) {
        console.log(`${label}: not measured, ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await copy.dispose().catch((error: unknown) => console.log(`  could not delete the floor's copy of the database: ${String(error)}`));
      }
    }

    // --- 4. The real server.
    const port = await freePort();
    const probing = options.probe || options.cpuProfDir !== null;
    const probeArgs = probing ? ['--import', pathToFileURL(join(ROOT, 'bench/support/server-probe.ts')).href] : [];
    const server: Child = spawnChild('leadrouter serve', ...nodeCmd([...SERVER_NODE_FLAGS, '--import', 'tsx', ...probeArgs, 'src/cli/main.ts', 'serve']), {
      cwd: ROOT,
      env: { ...serverEnv, PORT: String(port), BENCH_PROBE_STATEMENTS: options.probe ? '1' : '0' },
      ipc: probing,
    });
    cleanups.push(async () => void (await stopChild(server)));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`, server, 120_000);
    const before = (await storedFigures(db, new Date().toISOString())).leads;
    const loadStarted = new Date(Date.now() - 1000).toISOString();
    const url = `${base}/api/v1/leads`;
    const cursor = { next: 0 };
    await waitForQuiet(options.quietWait);
    const warm = options.warmup > 0 ? await load(url, requests, cursor, apiKey, options.connections, options.warmup) : undefined;
    if (warm) console.log(describeLoad('intake warm-up', warm));

    const profileFile = options.cpuProfDir ? join(options.cpuProfDir, `intake-server-${db.kind}-${runId}.cpuprofile`) : null;
    if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
    let answered = warm?.result['2xx'] ?? 0;
    let phases = warm ? 1 : 0;
    let window: { value: LoadResult; cpu: CpuWindow } | undefined;
    let probe: { report?: ProbeReport; error?: string } | undefined;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await waitForQuiet(options.quietWait);
      if (probing) await request(server, { type: 'probe-start', cpuProfileFile: profileFile }, 'probe-started', 30_000);
      window = await withCpu(server, db.kind === 'postgres', () => load(url, requests, cursor, apiKey, options.connections, options.duration));
      probe = probing ? await request<{ report?: ProbeReport; error?: string }>(server, { type: 'probe-stop' }, 'probe-report', 120_000) : undefined;
      answered += window.value.result['2xx'];
      phases++;
      if (otherShare(window.cpu) <= OTHER_CPU_WARNING || attempt >= options.retries) break;
      console.log(`  intake window disturbed (other work used ${(otherShare(window.cpu) * 100).toFixed(0)}% of a core, ${Math.round(window.value.result['2xx'] / window.value.result.duration)} leads/s); measuring again (${attempt + 1} of ${options.retries})`);
    }
    const { value: measured, cpu } = window;
    console.log(describeLoad(`intake (${db.kind}, demo rules)`, measured));
    console.log(describeCpu(cpu, 'server'));
    if (cursor.next > requests.length) console.log(`  note: ${cursor.next} requests sent, more than the ${requests.length} distinct bodies; later ones repeated earlier bodies`);

    const stop = await stopChild(server);
    if (!stop.graceful) console.log('  warning: the server did not stop within 15 s of SIGTERM and was killed');
    const after = await storedFigures(db, loadStarted);
    const twoXx = answered;
    for (const line of describeStored(before, after, twoXx, phases * options.connections)) console.log(line);

    const leadsPerSec = measured.result['2xx'] / measured.result.duration;
    const ceilingPerSec = ceiling.result['2xx'] / ceiling.result.duration;
    if (probe?.report) console.log(describeProbe(probe.report, leadsPerSec));
    if (probe?.error) console.log(`probe failed: ${probe.error}`);
    if (probe?.report?.cpuProfile) {
      console.log(`CPU profile of the server (measured window only): ${probe.report.cpuProfile}`);
      console.log(summariseCpuProfileFile(probe.report.cpuProfile, 25));
    }

    const ratio = ceilingPerSec > 0 ? leadsPerSec / ceilingPerSec : 0;
    for (const f of floors) {
      const what = f.mode === 'intake' ? 'write floor (rows of a lead, group commit)' : 'one INSERT per request';
      console.log(`${what}: ${round(f.perSec)}/s = ${(f.perSec / ceilingPerSec).toFixed(3)} of the ceiling, p99 ${f.p99Ms} ms; the server reaches ${(leadsPerSec / f.perSec).toFixed(2)} of it`);
    }
    const target = TARGETS[db.kind];
    const invalid: string[] = [];
    for (const [name, r] of [['intake', measured.result], ['ceiling', ceiling.result]] as const) {
      const problem = invalidLoad(r);
      if (problem) invalid.push(`${name}: ${problem}`);
    }
    if (warm && (warm.result.non2xx > 0 || warm.result.errors > 0)) invalid.push(`warm-up: ${warm.result.non2xx} non-2xx, ${warm.result.errors} errors`);
    if (invalid.length > 0) {
      console.log(`INVALID: every request must succeed; ${invalid.join('; ')}`);
      console.log(`server errors:\n${summariseServerLog(server.tail(400))}`);
      process.exitCode = 1;
    }
    const p50 = measured.result.latency.p50;
    const p99 = measured.result.latency.p99;
    const meets = ratio >= target.ratio && p99 <= target.p99Ms;
    console.log(
      `result: ${round(leadsPerSec)} leads/s = ${ratio.toFixed(3)} of the ceiling (${round(ceilingPerSec)} req/s), p50 ${p50} ms, p99 ${p99} ms; target on ${db.kind}: ≥ ${target.ratio} of the ceiling${Number.isFinite(target.p99Ms) ? ` with p99 ≤ ${target.p99Ms} ms` : ''} — ${invalid.length ? 'INVALID RUN' : meets ? 'MET' : 'NOT MET'}`,
    );
    const writeFloor = floors.find((f) => f.mode === 'intake');
    console.log(
      JSON.stringify({ leadsPerSec: round(leadsPerSec, 1), p50Ms: p50, p99Ms: p99, ceilingPerSec: round(ceilingPerSec, 1), ratio: round(ratio, 3), db: db.kind, ...(writeFloor ? { writeFloorPerSec: round(writeFloor.perSec, 1) } : {}) }),
    );
  } finally {
    clearTimeout(watchdog);
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
