import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { ensureApiKey } from '../../src/app/api-keys.js';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { createUser } from '../../src/app/people/users.js';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import { openStore, type Store } from '../../src/store/database.js';
import { insertManagers } from '../../src/store/manager-queries.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase } from '../support/databases.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';
import { openSseStream, type SseStream } from '../support/sse-client.js';
import { manager } from '../support/test-app.js';

/**
 * Two `leadrouter serve` processes on one PostgreSQL database. A lead sent to process A is
 * routed and its notification written there; the owner's live stream is held by process B,
 * whose poll for other processes' notifications runs every ten minutes and whose dispatcher
 * idles as long: only A's NOTIFY can bring the event to B within the test.
 */

const ADMIN_KEY = `lr_live_${randomBytes(24).toString('base64url')}`;
const PASSWORD = 'correct horse battery staple';
const RULE_SET = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everything to Anna', target: { kind: 'group', managers: ['anna'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

describe('a lead taken by one process reaches a live stream held by another (PostgreSQL LISTEN/NOTIFY)', () => {
  let store: Store;
  let ctx: AppContext;
  const servers: ServerProcess[] = [];
  let stream: SseStream | null = null;
  const killOnExit = (): void => {
    for (const s of servers) s.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killOnExit);
    const url = await createPostgresDatabase();
    store = openStore({ kind: 'postgres', url, poolSize: 2 });
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    await insertManagers(store.db, [manager('anna')], ctx.now().toISOString());
    await publishDefinition(ctx, RULE_SET, 'live test', null);
    await createUser(ctx, SYSTEM('test'), { email: 'anna@example.test', name: 'Anna', password: PASSWORD, role: 'manager', teamId: null, managerId: 'anna' });
    await ensureApiKey(ctx, { name: 'admin (LEADROUTER_ADMIN_API_KEY)', scopes: ['admin'], plaintext: ADMIN_KEY });
    // Polling and idle passes ten minutes apart: nothing but a signal is fast enough.
    const env = { DATABASE_URL: url, LEADROUTER_ADMIN_API_KEY: ADMIN_KEY, LIVE_POLL_INTERVAL_MS: '600000', DISPATCH_INTERVAL_MS: '600000', ACCESS_LOG: 'false' };
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    await Promise.all(servers.map((s) => waitUntilHealthy(s, 45_000)));
  }, 60_000);

  afterAll(async () => {
    stream?.close();
    await Promise.all(servers.map((s) => s.stop()));
    process.removeListener('exit', killOnExit);
    await store?.close();
  }, 20_000);

  it('brings each new lead to the owner on the other process without waiting for the poll', { timeout: 40_000 }, async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const session = await fetch(`${b.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'anna@example.test', password: PASSWORD }) });
    expect(session.status, await session.clone().text()).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^lr_session=/);
    stream = await openSseStream(`${b.url}/api/v1/notifications/stream`, { cookie });
    expect(stream.status).toBe(200);

    for (let i = 1; i <= 3; i++) {
      const res = await fetch(`${a.url}/api/v1/leads`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY }, body: JSON.stringify({ name: `Пётр ${i}`, phone: `+7 916 123-45-6${i}` }) });
      expect(res.status, await res.clone().text()).toBe(201);
      const leadId = ((await res.json()) as { lead: { id: string } }).lead.id;
      // Bounded by the test's time only: the poll would take ten minutes.
      const events = await stream.waitForEvents(i, 15_000);
      const last = JSON.parse(events[i - 1]?.data ?? '{}') as { topic?: string; leadId?: string };
      expect(last).toMatchObject({ topic: 'lead.assigned', leadId });
    }
  });
});
