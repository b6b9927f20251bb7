/**
 * Speed to lead: from the 201 that accepts a lead to the owner's live notification (the SSE
 * event of lead.assigned), one lead at a time, on the real server (`bin/leadrouter.js serve`,
 * workers in the process, as `npm start` runs it). With --cross-process two servers share a
 * PostgreSQL database: leads go to A and the owner's stream is held by B, so the event has to
 * cross processes (LISTEN/NOTIFY; polling only as the safety net).
 *
 *   npm run bench -- live-latency [--leads 200] [--gap-ms 50]            SQLite, one process
 *   npm run bench -- live-latency --pg [--cross-process]                 embedded PostgreSQL (or DATABASE_URL)
 *
 * Targets (issue 16): p99 ≤ 50 ms in one process, ≤ 500 ms across processes.
 * Last line: {"database","crossProcess","leads","p50Ms","p90Ms","p99Ms","maxMs","targetP99Ms","met"}.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SYSTEM } from '../src/app/access/principal.js';
import { ensureApiKey } from '../src/app/api-keys.js';
import { createAppContext } from '../src/app/app-context.js';
import { createUser } from '../src/app/people/users.js';
import { publishDefinition } from '../src/app/routing/rule-sets.js';
import { insertManagers } from '../src/store/manager-queries.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { prepareBenchDatabase } from './support/bench-database.js';
import { freePort, spawnChild, stopChild, waitForHttp, type Child } from './support/processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'bench live latency password';
const EMAIL = 'anna@bench.test';

interface Server {
  child: Child;
  base: string;
}

async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ACCESS_LOG: 'false', ...env, HOST: '127.0.0.1', PORT: String(port) };
  delete childEnv.npm_command;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawnChild(name, process.execPath, ['--max-semi-space-size=32', 'bin/leadrouter.js', 'serve'], { cwd: ROOT, env: childEnv });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, child, 300_000);
  return { child, base };
}

/** The owner's live stream: when each lead's lead.assigned arrived (performance.now()). */
async function openStream(base: string, cookie: string): Promise<{ arrived: Map<string, number>; waitFor(leadId: string, timeoutMs: number): Promise<number>; close(): void }> {
  const arrived = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  return await new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/v1/notifications/stream`, { headers: { accept: 'text/event-stream', cookie } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`the stream answered ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (!data) continue;
          const n = JSON.parse(data) as { topic?: string; leadId?: string | null };
          if (n.topic !== 'lead.assigned' || !n.leadId) continue;
          arrived.set(n.leadId, at);
          waiters.get(n.leadId)?.(at);
        }
      });
      resolve({
        arrived,
        waitFor: async (leadId, timeoutMs) => {
          const already = arrived.get(leadId);
          if (already !== undefined) return already;
          return await new Promise<number>((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no live event for ${leadId} within ${timeoutMs} ms`)), timeoutMs);
            waiters.set(leadId, (at) => {
              clearTimeout(timer);
              waiters.delete(leadId);
              ok(at);
            });
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export default async function liveLatency(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { pg: { type: 'boolean', default: false }, 'cross-process': { type: 'boolean', default: false }, leads: { type: 'string', default: '200' }, 'gap-ms': { type: 'string', default: '50' }, warmup: { type: 'string', default: '10' } } });
  const crossProcess = values['cross-process'];
  if (crossProcess && !values.pg) throw new Error('--cross-process needs --pg: SQLite serves one process');
  const leads = Number(values.leads);
  const warmup = Number(values.warmup);
  const gapMs = Number(values['gap-ms']);
  const db = await prepareBenchDatabase({ embeddedPostgres: values.pg && !process.env.DATABASE_URL, databaseUrl: values.pg ? process.env.DATABASE_URL : undefined, keep: false });
  const servers: Server[] = [];
  try {
    const apiKey = `lr_bench_${randomBytes(24).toString('hex')}`;
    const store = db.open();
    try {
      const { error } = await migrateToLatest(store);
      if (error) throw error;
      const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
      const at = ctx.now().toISOString();
      await insertManagers(store.db, [{ id: 'anna', teamId: null, name: 'Anna', email: null, role: 'manager', weight: 1, maxOpen: null, maxPerDay: null, skills: [], industries: [], regions: [], languages: [], timeZone: 'Europe/Moscow', workingHours: null, paused: false }], at);
      await publishDefinition(ctx, { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'All to Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }], fallback: { kind: 'pool' } }, 'bench', null);
      await createUser(ctx, SYSTEM('bench'), { email: EMAIL, name: 'Anna', password: PASSWORD, role: 'manager', teamId: null, managerId: 'anna' });
      await ensureApiKey(ctx, { name: 'admin (LEADROUTER_ADMIN_API_KEY)', scopes: ['admin'], plaintext: apiKey });
    } finally {
      await store.close();
    }
    const env = { ...db.env, LEADROUTER_ADMIN_API_KEY: apiKey };
    servers.push(await startServer('leadrouter A', env));
    if (crossProcess) servers.push(await startServer('leadrouter B', env));
    const intakeServer = servers[0] as Server;
    const streamServer = servers[servers.length - 1] as Server;

    const session = await fetch(`${streamServer.base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    if (session.status !== 200) throw new Error(`sign-in answered ${session.status}: ${await session.text()}`);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const stream = await openStream(streamServer.base, cookie);
    try {
      const latencies: number[] = [];
      for (let i = 0; i < warmup + leads; i++) {
        const res = await fetch(`${intakeServer.base}/api/v1/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({ name: `Lead ${i}`, phone: `+7 916 ${String(1_000_000 + i).slice(0, 7)}`, email: `lead${i}@bench${i % 7}.ru` }),
        });
        const answeredAt = performance.now();
        if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
        const leadId = ((await res.json()) as { lead: { id: string } }).lead.id;
        const eventAt = await stream.waitFor(leadId, 10_000);
        if (i >= warmup) latencies.push(Math.max(0, eventAt - answeredAt));
        await sleep(gapMs * Math.random());
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const round = (x: number): number => Math.round(x * 10) / 10;
      const p50Ms = round(percentile(sorted, 50));
      const p90Ms = round(percentile(sorted, 90));
      const p99Ms = round(percentile(sorted, 99));
      const maxMs = round(sorted[sorted.length - 1] ?? 0);
      const targetP99Ms = crossProcess ? 500 : 50;
      console.log(`speed to lead on ${db.description}`);
      console.log(`  ${crossProcess ? 'intake on process A, the owner\'s stream on process B' : 'intake and the stream in one process'}; ${leads} leads one at a time (${warmup} warm-up), 0–${gapMs} ms apart`);
      console.log(`  from the 201 to the SSE event: p50 ${p50Ms} ms, p90 ${p90Ms} ms, p99 ${p99Ms} ms, max ${maxMs} ms (target p99 ≤ ${targetP99Ms} ms: ${p99Ms <= targetP99Ms ? 'met' : 'missed'})`);
      console.log(JSON.stringify({ database: db.kind, crossProcess, leads, p50Ms, p90Ms, p99Ms, maxMs, targetP99Ms, met: p99Ms <= targetP99Ms }));
    } finally {
      stream.close();
    }
  } finally {
    for (const server of servers) await stopChild(server.child, 15_000);
    await db.dispose();
  }
}
