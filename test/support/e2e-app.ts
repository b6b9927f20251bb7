import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from './databases.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from './server-process.js';

/**
 * A real `leadrouter serve` process for the browser tests, on a fresh database of its own (an
 * SQLite file in a temporary directory, or a new database on the embedded PostgreSQL the global
 * setup starts), with an admin API key to set each scenario up over HTTP.
 */
export interface E2eApp {
  kind: 'sqlite' | 'postgres';
  url: string;
  server: ServerProcess;
  /** An admin API call; fails with the server's answer unless it is 2xx. */
  api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Every person the tests create signs in with this. */
export const E2E_PASSWORD = 'e2e-password-2026';

export async function startE2eApp(kind: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<E2eApp> {
  const adminKey = `lr_e2e_${randomBytes(24).toString('base64url')}`;
  let dir: string | null = null;
  let databaseUrl: string;
  if (kind === 'postgres') {
    databaseUrl = await createPostgresDatabase();
  } else {
    dir = mkdtempSync(join(tmpdir(), 'leadrouter-e2e-'));
    databaseUrl = `sqlite:${join(dir, 'e2e.sqlite')}`;
  }
  const server = await spawnServer({
    DATABASE_URL: databaseUrl,
    LEADROUTER_ADMIN_API_KEY: adminKey,
    // Live updates reach the browser within a fraction of a second.
    DISPATCH_INTERVAL_MS: '200',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    // The tests' webhook receivers listen on 127.0.0.1, refused by default: allowed explicitly, as an operator would.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ...env,
  });
  // Should the test worker die before afterAll, the server must not outlive it.
  const killOnExit = (): void => void server.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    await server.stop();
    process.removeListener('exit', killOnExit);
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(server, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { 'x-api-key': adminKey };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { kind, url: server.url, server, api, stop };
}

export interface E2ePerson {
  userId: string;
  email: string;
  name: string;
  password: string;
  /** The routing profile of a manager (or a head who also takes leads); null for others. */
  managerId: string | null;
}

/** A team, created over the API. */
export async function addTeam(app: E2eApp, id: string, name: string): Promise<void> {
  await app.api('POST', '/api/v1/teams', { id, name });
}

/**
 * A manager always on duty (`workingHours: null`, so nothing depends on the clock) with a user
 * who signs in as that manager.
 */
export async function addManager(app: E2eApp, options: { id: string; teamId: string; name: string; email: string }): Promise<E2ePerson> {
  await app.api('POST', '/api/v1/managers', { id: options.id, teamId: options.teamId, name: options.name, email: options.email, workingHours: null, timeZone: 'Europe/Moscow' });
  return await addUser(app, { role: 'manager', email: options.email, name: options.name, managerId: options.id, teamId: options.teamId });
}

export async function addUser(app: E2eApp, options: { role: 'admin' | 'head' | 'manager' | 'qualifier'; email: string; name: string; managerId?: string; teamId?: string }): Promise<E2ePerson> {
  const user = await app.api<{ id: string; managerId: string | null }>('POST', '/api/v1/users', {
    email: options.email,
    name: options.name,
    password: E2E_PASSWORD,
    role: options.role,
    ...(options.teamId ? { teamId: options.teamId } : {}),
    ...(options.managerId ? { managerId: options.managerId } : {}),
  });
  return { userId: user.id, email: options.email, name: options.name, password: E2E_PASSWORD, managerId: user.managerId };
}

/** Saves a rule set as a draft and publishes it; it routes every lead from then on. */
export async function publishRuleSet(app: E2eApp, definition: Record<string, unknown>): Promise<void> {
  const draft = await app.api<{ ruleSet: { version: number }; validation: { ok: boolean; issues: unknown[] } }>('POST', '/api/v1/rule-sets', { definition, comment: 'e2e' });
  if (!draft.validation.ok) throw new Error(`the e2e rule set is invalid: ${JSON.stringify(draft.validation.issues)}`);
  await app.api('POST', `/api/v1/rule-sets/${draft.ruleSet.version}/publish`);
}

/** `source` → one person each; every other lead goes to the pool. */
export function rulesBySource(routes: Record<string, string | 'pool'>): Record<string, unknown> {
  return {
    ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
    rules: Object.entries(routes).map(([source, to]) => ({
      id: `source-${source}`,
      name: `Source ${source}`,
      when: { field: 'source', op: 'eq', value: source },
      target: to === 'pool' ? { kind: 'pool' } : { kind: 'person', managerId: to },
    })),
    fallback: { kind: 'pool' },
  };
}

export interface E2eLead {
  id: string;
  name: string | null;
  status: string;
  ownerId: string | null;
  sla: { kind: string | null; dueAt: string | null } | null;
  lifecycle: { firstContactAt: string | null };
}

let leadNumber = 0;

/** A lead sent in through the intake API with the admin key, as an integration does. */
export async function sendLead(app: E2eApp, fields: Record<string, unknown>): Promise<{ lead: E2eLead; owner: { id: string; name: string } | null }> {
  leadNumber += 1;
  const suffix = `${process.pid % 100}${String(leadNumber).padStart(3, '0')}`.slice(-5);
  return await app.api('POST', '/api/v1/leads', { phone: `+7 916 55${suffix.slice(0, 1)}-${suffix.slice(1, 3)}-${suffix.slice(3, 5)}`, ...fields });
}

export async function getLead(app: E2eApp, id: string): Promise<{ lead: E2eLead; owner: { id: string; name: string } | null }> {
  return await app.api('GET', `/api/v1/leads/${id}`);
}
