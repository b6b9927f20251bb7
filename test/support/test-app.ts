import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SYSTEM, type UserPrincipal } from '../../src/app/access/principal.js';
import type { Role } from '../../src/app/access/roles.js';
import { createApiKey, type ApiKeyScope } from '../../src/app/api-keys.js';
import { createUser } from '../../src/app/people/users.js';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import { buildApp, type BuildAppOptions } from '../../src/http/build-app.js';
import type { DatabaseKind, Store } from '../../src/store/database.js';
import { insertManagers, insertTeam, type NewManager } from '../../src/store/manager-queries.js';
import { freshSharedStore, freshStore } from './databases.js';
import { IntakeThread } from '../../src/app/intake/intake-thread.js';
import { parseWebhookAllowList } from '../../src/app/notifications/webhook-target.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  store: Store;
  /** An admin key for the API. */
  key: string;
  /** The thread intake transactions run on, when started with `intakeThread`. */
  intakeThread: IntakeThread | undefined;
  keyWithScopes(scopes: ApiKeyScope[]): Promise<string>;
  /** A person of this role, signed in through the API; their requests carry the session cookie and CSRF header. */
  signIn(person: { role: Role; managerId?: string | null; teamId?: string | null; email?: string; name?: string }): Promise<TestUser>;
  request(options: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  principal: UserPrincipal;
  csrfToken: string;
  cookie: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The tests' webhook receivers listen on 127.0.0.1, which the server refuses by default: the
 * test harness allows that address explicitly, as an operator would with WEBHOOK_ALLOW_HOSTS.
 */
export const TEST_WEBHOOK_ALLOW_HOSTS = '127.0.0.1';
let people = 0;

/**
 * The whole application on a fresh database of the given kind, driven through `inject()`.
 * With `intakeThread`, intake transactions run on their own thread as under `serve`, on an
 * SQLite file (an in-memory database cannot be shared) or a PostgreSQL database.
 */
export async function startTestApp(
  kind: DatabaseKind,
  options: {
    now?: () => Date;
    bodyLimitBytes?: number;
    streamHeartbeatMs?: number;
    intakeThread?: boolean;
    /** WEBHOOK_ALLOW_HOSTS of the app (TEST_WEBHOOK_ALLOW_HOSTS when left out; '' for none). */
    webhookAllowHosts?: string;
    /** Runs on the fresh database before the app is built (as `serve` prepares its start); its answer adds build options. */
    prepare?: (ctx: AppContext) => Promise<Partial<BuildAppOptions>>;
  } = {},
): Promise<TestApp> {
  const shared = options.intakeThread ? await freshSharedStore(kind) : null;
  const store = shared ? shared.store : await freshStore(kind);
  const config = { defaultCountry: 'RU', intakeMaxBatch: 500 };
  const ctx = createAppContext(store, { ...config, webhookAllowList: parseWebhookAllowList(options.webhookAllowHosts ?? TEST_WEBHOOK_ALLOW_HOSTS) }, options.now ? { now: options.now } : {});
  const intakeThread = shared ? new IntakeThread({ target: shared.target, config }) : undefined;
  const prepared = options.prepare ? await options.prepare(ctx) : {};
  const { app, intake } = await buildApp({
    ...prepared,
    ctx,
    ...(intakeThread ? { intakeThread } : {}),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.streamHeartbeatMs !== undefined ? { streamHeartbeatMs: options.streamHeartbeatMs } : {}),
  });
  const { plaintext: key } = await createApiKey(ctx, { name: 'test admin', scopes: ['admin'] });
  return {
    app,
    ctx,
    store,
    key,
    intakeThread,
    keyWithScopes: async (scopes) => (await createApiKey(ctx, { name: `test ${scopes.join(',')}`, scopes })).plaintext,
    signIn: async (person) => {
      people += 1;
      const email = person.email ?? `${person.role}-${people}@example.test`;
      const user = await createUser(ctx, SYSTEM('test'), {
        email, name: person.name ?? `${person.role} ${people}`, password: TEST_PASSWORD, role: person.role,
        teamId: person.teamId ?? null, managerId: person.managerId ?? null,
      });
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: TEST_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const session = res.json<{ csrfToken: string }>();
      const setCookie = res.cookies.find((c) => c.name === 'lr_session');
      if (!setCookie) throw new Error('sign-in set no session cookie');
      const cookie = `lr_session=${setCookie.value}`;
      return {
        id: user.id,
        email,
        csrfToken: session.csrfToken,
        cookie,
        principal: { kind: 'user', userId: user.id, name: user.name, role: user.role, teamId: user.teamId, managerId: user.managerId },
        request: async ({ headers, ...rest }) => await app.inject({ ...rest, headers: { cookie, 'x-csrf-token': session.csrfToken, ...(headers ?? {}) } }),
      };
    },
    request: async ({ key: k, headers, ...rest }) => {
      const auth = k === null ? {} : { 'x-api-key': k ?? key };
      return await app.inject({ ...rest, headers: { ...auth, ...(headers ?? {}) } });
    },
    close: async () => {
      await app.close();
      await intake.close();
      await store.close();
      shared?.dispose();
    },
  };
}

export function manager(id: string, overrides: Partial<NewManager> = {}): NewManager {
  return {
    id, teamId: null, name: `Manager ${id}`, email: null, role: 'manager', weight: 1, maxOpen: null, maxPerDay: null,
    skills: [], industries: [], regions: [], languages: [], timeZone: 'Europe/Moscow', workingHours: null, paused: false,
    ...overrides,
  };
}

/** Teams, managers and a published rule set, as an administrator would set them up. */
export async function setUpRouting(t: TestApp, setup: { teams?: Array<{ id: string; name: string }>; managers: NewManager[]; ruleSet: unknown }): Promise<void> {
  const at = t.ctx.now().toISOString();
  for (const team of setup.teams ?? []) await insertTeam(t.store.db, team, at);
  await insertManagers(t.store.db, setup.managers, at);
  await publishDefinition(t.ctx, setup.ruleSet, 'test', null);
}

export async function countRows(store: Store, table: 'leads' | 'assignments' | 'events' | 'outbox'): Promise<number> {
  const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
