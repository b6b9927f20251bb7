import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureApiKey } from '../../src/app/api-keys.js';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase } from '../support/databases.js';
import {
  acceptedFrom,
  expectScaleInvariants,
  leadFactory,
  newIdempotencyKey,
  runWithConcurrency,
  setUpScaleRouting,
  type AcceptedLead,
  type IdempotentRound,
} from '../support/scale-scenario.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';

/**
 * Two real `leadrouter serve` processes on one PostgreSQL database, loaded at once over HTTP:
 * the routing lock must make them decide as one (fairness, caps, idempotency, counters).
 */

const ADMIN_KEY = `lr_scale_${randomBytes(24).toString('base64url')}`;
const IN_FLIGHT = 32;

interface Answer {
  status: number;
  body: unknown;
  server: string;
  replayed: boolean;
}

describe('two server processes on one PostgreSQL database', () => {
  let store: Store;
  let ctx: AppContext;
  const servers: ServerProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  // Should the worker die before afterAll, the servers must not outlive it.
  const killOnExit = (): void => {
    for (const s of servers) s.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killOnExit);
    const url = await createPostgresDatabase();
    store = openStore({ kind: 'postgres', url, poolSize: 4 });
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    await setUpScaleRouting(ctx);
    // The key exists before the servers start: two processes ensuring a new key at the same
    // moment race on api_keys.hash (check, then insert) and one of them fails to start.
    await ensureApiKey(ctx, { name: 'admin (LEADROUTER_ADMIN_API_KEY)', scopes: ['admin'], plaintext: ADMIN_KEY });

    // Both start at the same moment: each migrates (a no-op) and finds the admin key.
    const env = { DATABASE_URL: url, LEADROUTER_ADMIN_API_KEY: ADMIN_KEY };
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    try {
      await Promise.all(servers.map((s) => waitUntilHealthy(s, 45_000)));
    } catch (error) {
      await stopAll();
      throw error;
    }
  }, 90_000);

  afterAll(async () => {
    await stopAll();
    process.removeListener('exit', killOnExit);
    await store?.close();
  }, 30_000);

  const post = async (server: ServerProcess, path: string, body: unknown, idempotencyKey?: string): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text for the failure message
    }
    return { status: res.status, body: parsed, server: server.url, replayed: res.headers.get('idempotent-replayed') === 'true' };
  };

  it('routes 500+ leads sent to both processes at once fairly, within caps, once each, and idempotently', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const lead = leadFactory();
    const accepted: AcceptedLead[] = [];
    const failures: Answer[] = [];
    const rounds: IdempotentRound[] = [];
    const take = (answer: Answer): string[] => {
      if (answer.status !== 201) {
        failures.push(answer);
        return [];
      }
      const items = acceptedFrom(answer.body);
      accepted.push(...items);
      return items.map((i) => i.leadId);
    };

    const tasks: Array<() => Promise<void>> = [];
    for (let i = 0; i < 400; i++) tasks.push(async () => void take(await post(i % 2 ? b : a, '/api/v1/leads', lead('web', 'web'))));
    for (let i = 0; i < 60; i++) tasks.push(async () => void take(await post(i % 2 ? a : b, '/api/v1/leads', lead('capped', 'capped'))));
    for (let i = 0; i < 6; i++) {
      const leads = Array.from({ length: 20 }, (_, j) => lead(j % 4 === 0 ? 'capped' : 'web', 'batch'));
      tasks.push(async () => void take(await post(i % 2 ? a : b, '/api/v1/leads/batch', { leads })));
    }
    // The same key sent to both processes at the same moment, twice to each.
    for (let i = 0; i < 20; i++) {
      const key = newIdempotencyKey('single');
      const body = lead(i % 5 === 0 ? 'capped' : 'web', 'idempotent');
      tasks.push(async () => {
        const answers = await Promise.all([a, b, a, b].map((s) => post(s, '/api/v1/leads', body, key)));
        rounds.push({ key, size: 1, answers: answers.map(take), replayed: answers.map((x) => x.replayed) });
      });
    }
    for (let i = 0; i < 4; i++) {
      const key = newIdempotencyKey('batch');
      const body = { leads: Array.from({ length: 5 }, () => lead('web', 'idempotent batch')) };
      tasks.push(async () => {
        const answers = await Promise.all([b, a, b, a].map((s) => post(s, '/api/v1/leads/batch', body, key)));
        rounds.push({ key, size: 5, answers: answers.map(take), replayed: answers.map((x) => x.replayed) });
      });
    }
    // Spread the special requests through the plain ones instead of bunching them at the end.
    const shuffled = shuffle(tasks, 727);

    const started = Date.now();
    await runWithConcurrency(shuffled, IN_FLIGHT);
    const elapsed = Date.now() - started;

    expect(failures.map(({ status, server, body }) => ({ status, server, body }))).toEqual([]);
    expect(rounds).toHaveLength(24);
    const totals = await expectScaleInvariants(store, accepted, rounds);
    // 400 + 6 × 15 + 16 single and 4 × 5 batched idempotent web leads; 60 + 6 × 5 + 4 capped.
    expect(totals).toEqual({ web: 400 + 90 + 16 + 20, capped: 60 + 30 + 4 });
    // Both processes really took part.
    for (const s of servers) expect(s.child.exitCode, s.output()).toBeNull();
    console.info(`multi-process: ${accepted.length} answers (${totals.web + totals.capped} leads) in ${elapsed} ms`);
  }, 90_000);

  it('still answers health on both processes after the burst', async () => {
    for (const s of servers) {
      const res = await fetch(`${s.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'postgres' });
    }
  });
});

/** A deterministic Fisher–Yates shuffle, so a failing order can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
