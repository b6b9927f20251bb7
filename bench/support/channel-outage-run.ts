/**
 * A notification channel down for a while under a steady lead intake, shared by
 * `npm run bench -- channel-outage` and test/faults/channel-outage.test.ts.
 *
 * The real server (`bin/leadrouter.js serve --demo`, workers in the process) sends e-mail to a
 * real SMTP server on 127.0.0.1 (test/support/smtp-sink-main.ts in its own process). Leads
 * arrive at a steady rate (open loop) throughout. After a warm-up with the channel up, the SMTP
 * server is stopped (nothing listens on its port: every send is refused) for `outageMs`, then
 * started again on the same port; intake goes on for `afterMs`, then stops, and the run waits
 * for every pending delivery to go out. Figures: the e-mail backlog's peak, how long the
 * messages queued before the channel returned took to go out once it was back, the server's
 * RSS over time. Checks: every lead answered 201 is stored, every e-mail delivery made since
 * the load began was delivered and arrived exactly once (by its X-Leadrouter-Delivery id),
 * every lead given an owner produced its lead.assigned e-mail, and no request failed.
 */
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';
import { startSmtpServerProcess, type ReceivedMail, type SmtpServerProcess } from '../../test/support/smtp-server-process.js';
import { scrapeGauge } from './demo-server.js';
import { generateLeadRequests } from './lead-bodies.js';
import { startOpenLoop, type Answer } from './open-loop.js';

/** The server under test, however it was started. */
export interface OutageServer {
  base: string;
  /** An API key that may send leads. */
  apiKey: string;
  pid: number;
  rssMb(): number;
  stop(): Promise<{ graceful: boolean }>;
}

export interface OutageOptions {
  /** Starts the server with e-mail going to `smtpUrl` (the benchmark: `serve --demo`, see startDemoServer). */
  startServer(smtpUrl: string): Promise<OutageServer>;
  /** A connection from this process to the same database, for the checks at the end. */
  openStore(): Store;
  outageMs: number;
  /**
   * The outage lasts at least until this many e-mail deliveries have failed at least once
   * (bounded by another outageMs), so a slow machine still builds a backlog. 0: exactly outageMs.
   */
  minFailedInOutage?: number;
  /** Leads per second, throughout. */
  rate: number;
  /** Intake with the channel up before the outage, and after it. */
  beforeMs: number;
  afterMs: number;
  /** How often RSS is printed (a minute in the benchmark). */
  sampleMs: number;
  /**
   * How long, after intake stops, the messages queued during the outage may take to go out (and
   * then everything else), before the run fails.
   */
  drainTimeoutMs: number;
  /** RSS may grow at most this much from before the outage to after the drain. */
  rssBoundMb: number;
  log(line: string): void;
}

export interface RssSample {
  atS: number;
  phase: string;
  rssMb: number;
  emailPending: number | null;
}

export interface OutageResult {
  sent: number;
  accepted: number;
  failedRequests: number;
  emailDeliveries: number;
  received: number;
  duplicates: number;
  missing: number;
  backlogPeak: number;
  /** From the channel's return until every e-mail queued before it had gone out. */
  drainMs: number | null;
  /** From the channel's return until the latest retry the schedule had set for the backlog then. */
  scheduleDrainMs: number | null;
  rss: RssSample[];
  rssBeforeOutageMb: number;
  rssAfterDrainMb: number;
  problems: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChannelOutage(options: OutageOptions): Promise<OutageResult> {
  const { log } = options;
  const problems: string[] = [];
  const sinks: SmtpServerProcess[] = [];
  let server: OutageServer | null = null;
  let loop: ReturnType<typeof startOpenLoop> | null = null;
  const store = options.openStore();
  try {
    let sink = await startSmtpServerProcess();
    sinks.push(sink);
    const smtpPort = sink.port;
    const startedAt = Date.now();
    server = await options.startServer(sink.url);
    log(`server on ${server.base} (pid ${server.pid}) started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; SMTP server on 127.0.0.1:${smtpPort}`);
    const live = server;
    const emailPending = (): Promise<number | null> => scrapeGauge(live.base, 'leadrouter_deliveries_pending', { channel: 'email' });
    const outboxBacklog = (): Promise<number | null> => scrapeGauge(live.base, 'leadrouter_outbox_backlog');

    // The demo's own notifications go out first, so the backlog measured below is the outage's.
    await waitFor('the e-mails of the data set up before to go out', 120_000, async () => (await emailPending()) === 0 && (await outboxBacklog()) === 0);

    const t0 = Date.now();
    const loadStartIso = new Date(t0 - 1000).toISOString();
    const at = (): number => Math.round((Date.now() - t0) / 100) / 10;
    const rss: RssSample[] = [];
    let phase = 'before';
    let backlogPeak = 0;
    const sample = async (): Promise<RssSample> => {
      const s = { atS: at(), phase, rssMb: live.rssMb(), emailPending: await emailPending() };
      rss.push(s);
      log(`  t=${String(Math.round(s.atS)).padStart(4)} s  ${s.phase.padEnd(7)} RSS ${s.rssMb.toFixed(1)} MB  e-mails pending ${s.emailPending ?? '?'}  leads sent ${loop?.sent() ?? 0}`);
      return s;
    };
    // The backlog is watched every second; RSS printed every sampleMs.
    let lastPrint = 0;
    let watching = true;
    const watch = async (): Promise<void> => {
      while (watching) {
        const pending = await emailPending();
        if (pending !== null) backlogPeak = Math.max(backlogPeak, pending);
        if (Date.now() - lastPrint >= options.sampleMs) {
          lastPrint = Date.now();
          await sample();
        }
        await sleep(1000);
      }
    };
    const watcher = watch();

    const answers: Answer[] = [];
    const { requests } = generateLeadRequests(Math.ceil((options.rate * (options.beforeMs + options.outageMs + options.afterMs)) / 1000) + 100, `outage-${t0}`);
    loop = startOpenLoop({ url: `${live.base}/api/v1/leads`, apiKey: live.apiKey, rate: options.rate, requests, onAnswer: (a) => answers.push(a) });
    log(`intake: ${options.rate} leads/s open loop; ${options.beforeMs / 1000} s with the channel up, ${options.outageMs / 1000} s down, ${options.afterMs / 1000} s up again`);
    await sleep(options.beforeMs);

    const rssBeforeOutageMb = (await sample()).rssMb;
    phase = 'outage';
    await sink.stop();
    log(`  t=${at()} s  SMTP server stopped: nothing listens on 127.0.0.1:${smtpPort}`);
    await sleep(options.outageMs);
    const minFailed = options.minFailedInOutage ?? 0;
    if (minFailed > 0) {
      const failedOnce = async (): Promise<number> => {
        const r = await sql<{ n: number }>`select count(*) as n from deliveries where channel = 'email' and status = 'pending' and attempts > 0`.execute(store.db);
        return Number(r.rows[0]?.n ?? 0);
      };
      await waitFor(`${minFailed} e-mails to fail in the outage`, options.outageMs, async () => (await failedOnce()) >= minFailed).catch((error: unknown) => problems.push(String(error)));
    }

    phase = 'after';
    sink = await startSmtpServerProcess(smtpPort);
    sinks.push(sink);
    const recoveredAt = Date.now();
    const recoveredIso = new Date(recoveredAt).toISOString();
    // When the retry schedule alone would send the last of the backlog: the latest retry it had set.
    const scheduled = await sql<{ latest: string | null }>`select max(next_attempt_at) as latest from deliveries where channel = 'email' and status = 'pending'`.execute(store.db);
    const latestRetry = scheduled.rows[0]?.latest ?? null;
    const scheduleDrainMs = latestRetry === null ? null : Math.max(0, Date.parse(String(latestRetry)) - recoveredAt);
    log(`  the retry schedule alone would send the last of the backlog ${scheduleDrainMs === null ? '(none pending)' : `${(scheduleDrainMs / 1000).toFixed(1)} s after the return`}`);
    log(`  t=${at()} s  SMTP server listening again; backlog peak so far ${backlogPeak}`);

    // Drained: no e-mail made before the channel returned is still pending.
    let drainMs: number | null = null;
    const queuedBefore = async (): Promise<number> => {
      const r = await sql<{ n: number }>`select count(*) as n from deliveries where channel = 'email' and status = 'pending' and created_at <= ${recoveredIso}`.execute(store.db);
      return Number(r.rows[0]?.n ?? 0);
    };
    const drainWatch = (async () => {
      const deadline = recoveredAt + options.afterMs + options.drainTimeoutMs;
      while (Date.now() < deadline) {
        if ((await queuedBefore()) === 0) {
          drainMs = Date.now() - recoveredAt;
          log(`  t=${at()} s  every e-mail queued during the outage has gone out: drained ${(drainMs / 1000).toFixed(1)} s after the channel returned`);
          return;
        }
        await sleep(250);
      }
    })();
    await sleep(options.afterMs);
    await loop.stop();
    phase = 'drain';
    log(`  t=${at()} s  intake stopped after ${loop.sent()} leads`);
    await drainWatch;
    if (drainMs === null) problems.push(`the e-mails queued during the outage had not all gone out ${((options.afterMs + options.drainTimeoutMs) / 1000).toFixed(0)} s after the channel returned (${await queuedBefore()} still pending)`);
    try {
      await waitFor('every e-mail to go out', Math.max(options.drainTimeoutMs, 30_000), async () => (await emailPending()) === 0 && (await outboxBacklog()) === 0);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    watching = false;
    await watcher;
    const rssAfterDrainMb = (await sample()).rssMb;
    if (rssAfterDrainMb > rssBeforeOutageMb + options.rssBoundMb) problems.push(`RSS grew from ${rssBeforeOutageMb} MB before the outage to ${rssAfterDrainMb} MB after the drain (bound: +${options.rssBoundMb} MB)`);

    const stopped = await live.stop();
    server = null;
    if (!stopped.graceful) problems.push('the server did not stop within 20 s of SIGTERM');

    // --- Checks
    const accepted = answers.filter((a) => a.status >= 200 && a.status < 300);
    const failed = answers.filter((a) => !(a.status >= 200 && a.status < 300));
    if (failed.length > 0) problems.push(`${failed.length} lead requests failed: ${[...new Set(failed.map((a) => `${a.status} ${a.problem ?? ''}`.slice(0, 160)))].slice(0, 3).join(' | ')}`);
    const ids = accepted.map((a) => a.leadId).filter((id): id is string => typeof id === 'string');
    const storedIds = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await store.db.selectFrom('leads').select('id').where('id', 'in', chunk).execute();
      for (const r of rows) storedIds.add(r.id);
    }
    const lost = ids.filter((id) => !storedIds.has(id));
    if (lost.length > 0 || ids.length !== accepted.length) problems.push(`${lost.length} acknowledged leads are not stored (${accepted.length - ids.length} answers without an id)`);

    const deliveries = await store.db.selectFrom('deliveries').select(['id', 'status', 'topic', 'payload', 'attempts']).where('channel', '=', 'email').where('created_at', '>=', loadStartIso).execute();
    const received: ReceivedMail[] = sinks.flatMap((s) => s.messages());
    const count = new Map<string, number>();
    for (const m of received) {
      const id = m.headers['x-leadrouter-delivery'];
      if (id) count.set(id, (count.get(id) ?? 0) + 1);
    }
    const undelivered = deliveries.filter((d) => d.status !== 'delivered');
    const missing = deliveries.filter((d) => (count.get(d.id) ?? 0) === 0);
    const duplicated = deliveries.filter((d) => (count.get(d.id) ?? 0) > 1);
    if (deliveries.length === 0) problems.push('no e-mail deliveries were made: the check proves nothing');
    if (undelivered.length > 0) problems.push(`${undelivered.length} e-mail deliveries are not delivered (${[...new Set(undelivered.map((d) => d.status))].join(', ')})`);
    if (missing.length > 0) problems.push(`${missing.length} e-mail deliveries never reached the SMTP server`);
    if (duplicated.length > 0) problems.push(`${duplicated.length} e-mails reached the SMTP server more than once`);
    const assignedMail = new Set(deliveries.filter((d) => d.topic === 'lead.assigned').map((d) => (JSON.parse(String(d.payload)) as { payload?: { leadId?: string } }).payload?.leadId));
    const owned = accepted.filter((a) => a.leadId && a.owner);
    const withoutMail = owned.filter((a) => !assignedMail.has(a.leadId));
    if (withoutMail.length > 0) problems.push(`${withoutMail.length} of ${owned.length} leads given an owner have no lead.assigned e-mail`);
    const maxAttempts = deliveries.reduce((m, d) => Math.max(m, Number(d.attempts)), 0);
    log(
      `checked: ${answers.length} leads sent, ${accepted.length} answered 2xx, all ${storedIds.size} stored; ${owned.length} given an owner; ${deliveries.length} e-mail deliveries since the load began (${deliveries.filter((d) => d.topic === 'lead.assigned').length} lead.assigned), most attempts on one ${maxAttempts}; the SMTP server got ${received.length} messages (${count.size} distinct deliveries): ${missing.length} missing, ${duplicated.length} duplicated`,
    );
    return {
      sent: answers.length,
      accepted: accepted.length,
      failedRequests: failed.length,
      emailDeliveries: deliveries.length,
      received: received.length,
      duplicates: duplicated.length,
      missing: missing.length,
      backlogPeak,
      drainMs,
      scheduleDrainMs,
      rss,
      rssBeforeOutageMb,
      rssAfterDrainMb,
      problems,
    };
  } finally {
    await loop?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    for (const s of sinks) await s.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}

async function waitFor(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(250);
  }
  throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
}
