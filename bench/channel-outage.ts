/**
 * A notification channel down for minutes under a steady intake (issue 16 §4): nothing lost,
 * the backlog drains when the channel returns, the server's memory stays flat. See
 * bench/support/channel-outage-run.ts for what runs and what is checked.
 *
 *   npm run bench -- channel-outage                  # 1 minute down, SQLite
 *   npm run bench -- channel-outage --minutes 10     # the issue's ten minutes
 *   npm run bench -- channel-outage --pg             # on an embedded durable PostgreSQL
 *
 * Options: --minutes <m> (1; fractions allowed), --rate <leads/s> (10), --before <s> (30), --compiled,
 * --after <s> (30), --rss-bound <MB> (64). Prints RSS and the e-mail backlog every minute,
 * then one JSON line: {"outageMinutes","rate","db","leads","emails","backlogPeak","drainSeconds",
 * "rssBeforeMb","rssAfterMb","rssMaxMb","missing","duplicates","ok"}. Exits 1 on any problem.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareBenchDatabase } from './support/bench-database.js';
import { runChannelOutage } from './support/channel-outage-run.js';
import { startDemoServer } from './support/demo-server.js';
import { numberOption } from './support/number-option.js';

export default async function channelOutageBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: 'string', default: '1' },
      rate: { type: 'string', default: '10' },
      before: { type: 'string', default: '30' },
      after: { type: 'string', default: '30' },
      'rss-bound': { type: 'string', default: '64' },
      pg: { type: 'boolean', default: false },
      compiled: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const num = numberOption;
  const minutes = num('minutes', values.minutes, 0.05, 240);
  const rate = num('rate', values.rate, 0.5, 500);
  const rssBoundMb = num('rss-bound', values['rss-bound'], 1, 4096);
  console.log(`machine: load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (shared), Node ${process.version}; started ${new Date().toISOString()}`);
  const db = await prepareBenchDatabase({ embeddedPostgres: values.pg || process.env.BENCH_EMBEDDED_PG === '1', databaseUrl: process.env.DATABASE_URL, keep: false });
  console.log(`database: ${db.description}`);
  const stopOnSignal = (): void => {
    void db.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  try {
    const result = await runChannelOutage({
      startServer: async (smtpUrl) => {
        const server = await startDemoServer({ env: { ...db.env, SMTP_URL: smtpUrl, SMTP_FROM: 'leadrouter <robot@leadrouter.test>' }, compiled: values.compiled });
        console.log(`server: serve --demo (as npm start runs it: workers in the process, demo data; ${values.compiled ? 'bin/leadrouter.js, compiled' : 'sources through tsx'})`);
        return { base: server.base, apiKey: server.apiKey, pid: server.child.process.pid ?? 0, rssMb: server.rssMb, stop: server.stop };
      },
      openStore: () => db.open(),
      outageMs: minutes * 60_000,
      rate,
      beforeMs: num('before', values.before, 1, 3600) * 1000,
      afterMs: num('after', values.after, 1, 3600) * 1000,
      sampleMs: 60_000,
      drainTimeoutMs: Math.max(120_000, minutes * 60_000),
      rssBoundMb,
      log: (line) => console.log(line),
    });
    const rssMaxMb = Math.max(...result.rss.map((s) => s.rssMb));
    console.log(`backlog peak: ${result.backlogPeak} e-mails pending; drained ${result.drainMs === null ? 'NOT within the bound' : `${(result.drainMs / 1000).toFixed(1)} s after the channel returned`}`);
    console.log(`RSS: ${result.rssBeforeOutageMb} MB before the outage, max ${rssMaxMb} MB, ${result.rssAfterDrainMb} MB after the drain (bound +${rssBoundMb} MB)`);
    for (const p of result.problems) console.log(`PROBLEM: ${p}`);
    const ok = result.problems.length === 0;
    console.log(ok ? 'result: nothing lost, every e-mail delivered exactly once' : 'result: FAILED');
    if (!ok) process.exitCode = 1;
    console.log(
      JSON.stringify({
        outageMinutes: minutes, rate, db: db.kind, leads: result.accepted, emails: result.emailDeliveries, backlogPeak: result.backlogPeak,
        drainSeconds: result.drainMs === null ? null : Math.round(result.drainMs / 100) / 10, rssBeforeMb: result.rssBeforeOutageMb, rssAfterMb: result.rssAfterDrainMb, rssMaxMb,
        missing: result.missing, duplicates: result.duplicates, ok,
      }),
    );
  } finally {
    process.off('SIGINT', stopOnSignal);
    await db.dispose();
  }
}
