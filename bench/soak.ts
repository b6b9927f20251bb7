/**
 * Soak (issue 16 §4): the real server as `npm start` runs it (`bin/leadrouter.js serve --demo`:
 * workers in the process, demo data, SQLite unless --pg) takes a steady stream of leads, open
 * loop, for --minutes; every minute it prints leads/s answered, p50/p99 latency, the server's
 * RSS and the errors. RSS and latency should stay flat and nothing should fail.
 *
 *   npm run bench -- soak                         # 1 minute at 100 leads/s on SQLite
 *   npm run bench -- soak --minutes 60            # the issue's hour
 *   npm run bench -- soak --minutes 10 --pg       # on an embedded durable PostgreSQL
 *
 * Options: --minutes <m> (1), --rate <leads/s> (100), --compiled (bin/leadrouter.js; see
 * bench/support/demo-server.ts), --rss-bound <MB> (64: how much the RSS at
 * the end of the last minute may exceed the RSS at the end of the first; checked from two
 * minutes on). The last line is one JSON object: {"minutes","rate","db","leads","errors",
 * "firstMinute":{"rssMb","p50Ms","p99Ms"},"lastMinute":{…},"rssGrowthMb","ok"}. Exits 1 on
 * any answer other than 2xx (or none) and on RSS growing past the bound.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareBenchDatabase } from './support/bench-database.js';
import { scrapeGauge, startDemoServer, type DemoServer } from './support/demo-server.js';
import { generateLeadRequests } from './support/lead-bodies.js';
import { quantile, startOpenLoop, type Answer } from './support/open-loop.js';
import { numberOption } from './support/number-option.js';

interface Minute {
  index: number;
  answered: number;
  latencies: number[];
  errors: number;
  rssMb: number;
  rssMaxMb: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export default async function soakBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: 'string', default: '1' },
      rate: { type: 'string', default: '100' },
      'rss-bound': { type: 'string', default: '64' },
      pg: { type: 'boolean', default: false },
      compiled: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const num = numberOption;
  const minutes = Math.floor(num('minutes', values.minutes, 1, 24 * 60));
  const rate = num('rate', values.rate, 1, 2000);
  const rssBoundMb = num('rss-bound', values['rss-bound'], 1, 4096);
  console.log(`machine: load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (shared, 2 cores here), Node ${process.version}; started ${new Date().toISOString()}`);
  const db = await prepareBenchDatabase({ embeddedPostgres: values.pg || process.env.BENCH_EMBEDDED_PG === '1', databaseUrl: process.env.DATABASE_URL, keep: false });
  console.log(`database: ${db.description}`);
  let server: DemoServer | null = null;
  const stopAll = async (): Promise<void> => {
    await server?.stop().catch(() => undefined);
    server = null;
    await db.dispose();
  };
  const onSignal = (): void => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const started = Date.now();
    server = await startDemoServer({ env: db.env, compiled: values.compiled });
    const live = server;
    console.log(`server: serve --demo (as npm start runs it: workers in the process, demo data; ${values.compiled ? 'bin/leadrouter.js, compiled' : 'sources through tsx'}) on ${live.base}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s, RSS ${live.rssMb()} MB`);
    // What the demo left for the workers (its notifications) is done before the clock starts.
    const settleUntil = Date.now() + 180_000;
    while (Date.now() < settleUntil && (await scrapeGauge(live.base, 'leadrouter_outbox_backlog')) !== 0) await sleep(1000);
    console.log(`load: ${rate} leads/s, open loop (each request leaves on schedule, answered or not), ${minutes} min`);

    const buckets: Minute[] = Array.from({ length: minutes }, (_, index) => ({ index, answered: 0, latencies: [], errors: 0, rssMb: 0, rssMaxMb: 0 }));
    const problems = new Map<string, number>();
    const onAnswer = (a: Answer): void => {
      const bucket = buckets[Math.min(minutes - 1, Math.floor(a.sentAtMs / 60_000))] as Minute;
      if (a.status >= 200 && a.status < 300) {
        bucket.answered++;
        bucket.latencies.push(a.latencyMs);
      } else {
        bucket.errors++;
        const key = `${a.status} ${(a.problem ?? '').slice(0, 160)}`;
        problems.set(key, (problems.get(key) ?? 0) + 1);
      }
    };
    const { requests } = generateLeadRequests(Math.min(200_000, Math.ceil(rate * minutes * 60) + 100), `soak-${Date.now()}`);
    const loop = startOpenLoop({ url: `${live.base}/api/v1/leads`, apiKey: live.apiKey, rate, requests, onAnswer, timeoutMs: 30_000 });
    const t0 = Date.now();
    console.log('minute  leads/s   p50 ms   p99 ms   RSS MB (max)   errors   in flight');
    const print = (m: Minute): void => {
      console.log(
        `${String(m.index + 1).padStart(6)}  ${(m.answered / 60).toFixed(1).padStart(7)}  ${quantile(m.latencies, 0.5).toFixed(1).padStart(7)}  ${quantile(m.latencies, 0.99).toFixed(1).padStart(7)}  ${m.rssMb.toFixed(1).padStart(7)} (${m.rssMaxMb.toFixed(0)})  ${String(m.errors).padStart(7)}  ${String(loop.inFlight()).padStart(10)}`,
      );
    };
    for (let minute = 0; minute < minutes; minute++) {
      const bucket = buckets[minute] as Minute;
      const end = t0 + (minute + 1) * 60_000;
      while (Date.now() < end) {
        bucket.rssMaxMb = Math.max(bucket.rssMaxMb, live.rssMb());
        await sleep(Math.min(5_000, Math.max(0, end - Date.now())));
      }
      bucket.rssMb = live.rssMb();
      bucket.rssMaxMb = Math.max(bucket.rssMaxMb, bucket.rssMb);
      // Answers to the minute's last requests may still be on their way: printed a second later.
      await sleep(1000);
      print(bucket);
    }
    await loop.stop();
    if (live.child.hasExited()) problems.set('the server exited during the run', 1);
    const stopped = await live.stop();
    server = null;
    if (!stopped.graceful) console.log('warning: the server did not stop within 20 s of SIGTERM and was killed');

    const first = buckets[0] as Minute;
    const last = buckets[minutes - 1] as Minute;
    const errors = buckets.reduce((a, b) => a + b.errors, 0);
    const leads = buckets.reduce((a, b) => a + b.answered, 0);
    const rssGrowthMb = Math.round((last.rssMb - first.rssMb) * 10) / 10;
    const rssChecked = minutes >= 2;
    const failures: string[] = [];
    if (errors > 0) failures.push(`${errors} requests failed: ${[...problems].map(([k, n]) => `${n}× ${k}`).slice(0, 5).join(' | ')}`);
    if (problems.has('the server exited during the run')) failures.push('the server exited during the run');
    if (rssChecked && rssGrowthMb > rssBoundMb) failures.push(`RSS grew ${rssGrowthMb} MB from the first minute to the last (bound ${rssBoundMb} MB)`);
    const all = buckets.flatMap((b) => b.latencies);
    console.log(`overall: ${leads} leads answered 2xx of ${loop.sent()} sent over ${((Date.now() - t0) / 1000).toFixed(0)} s; p50 ${quantile(all, 0.5)} ms, p99 ${quantile(all, 0.99)} ms; ${errors} errors`);
    console.log(`RSS: ${first.rssMb} MB after the first minute, ${last.rssMb} MB after the last (${rssGrowthMb >= 0 ? '+' : ''}${rssGrowthMb} MB; bound +${rssBoundMb} MB${rssChecked ? '' : ', checked from two minutes on'}); load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    for (const f of failures) console.log(`FAILED: ${f}`);
    if (failures.length > 0) process.exitCode = 1;
    const figures = (m: Minute): { rssMb: number; p50Ms: number; p99Ms: number } => ({ rssMb: m.rssMb, p50Ms: quantile(m.latencies, 0.5), p99Ms: quantile(m.latencies, 0.99) });
    console.log(JSON.stringify({ minutes, rate, db: db.kind, leads, errors, firstMinute: figures(first), lastMinute: figures(last), rssGrowthMb, ok: failures.length === 0 }));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}
