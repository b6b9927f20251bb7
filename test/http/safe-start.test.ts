import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { ensureApiKey } from '../../src/app/api-keys.js';
import type { AppContext } from '../../src/app/app-context.js';
import { loadConfig } from '../../src/app/config.js';
import { DEMO_API_KEY, DEMO_PASSWORD, demoPolicy, isLoopbackHost } from '../../src/app/demo/demo-credentials.js';
import { hasNoUsers, SetupToken } from '../../src/app/people/first-admin.js';
import { createUser } from '../../src/app/people/users.js';
import { prepareStart, type PreparedStart } from '../../src/cli/prepare-start.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

function capturedLogger(): { logger: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(String((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink) as Logger, lines: () => lines };
}

describe('which addresses count as loopback', () => {
  it('knows 127.0.0.0/8, ::1 and localhost, and treats every other address or name as public', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'leadrouter.example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('lets the demo in on loopback, off loopback only with the opt-in, and never in production', () => {
    expect(demoPolicy({ host: '127.0.0.1', production: false, demoPublic: false })).toMatchObject({ seed: true, credentials: true });
    expect(demoPolicy({ host: '0.0.0.0', production: false, demoPublic: false })).toMatchObject({ seed: false, credentials: false, refusal: expect.stringMatching(/HOST=0\.0\.0\.0 is not loopback/) });
    expect(demoPolicy({ host: '0.0.0.0', production: false, demoPublic: true })).toMatchObject({ seed: true, credentials: true });
    expect(demoPolicy({ host: '127.0.0.1', production: true, demoPublic: true })).toMatchObject({ seed: false, credentials: false });
    expect(loadConfig({ NODE_ENV: 'production', LEADROUTER_DEMO_PUBLIC: 'true' })).toMatchObject({ production: true, demoPublic: true });
  });
});

describe.each(DATABASE_KINDS)('a safe start on %s', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Starts as `serve` would with this environment, after a demo of an earlier loopback run left its key and a person with the demo password. */
  async function startAs(env: NodeJS.ProcessEnv, options: { demo: boolean; earlierDemo?: boolean }): Promise<{ app: TestApp; prepared: PreparedStart; log: string[] }> {
    const { logger, lines } = capturedLogger();
    let prepared: PreparedStart | undefined;
    const app = await startTestApp(kind, {
      prepare: async (ctx: AppContext) => {
        if (options.earlierDemo) {
          await ensureApiKey(ctx, { name: 'demo', scopes: ['admin'], plaintext: DEMO_API_KEY });
          await createUser(ctx, SYSTEM('demo'), { email: 'admin@demo.leadrouter.local', name: 'Demo admin', password: DEMO_PASSWORD, role: 'admin' });
        }
        prepared = await prepareStart(ctx, loadConfig(env), { demo: options.demo, demoLeads: 5 }, logger, 'http://host:3000');
        return { acceptDemoCredentials: prepared.acceptDemoCredentials, ...(prepared.setupToken ? { setupToken: prepared.setupToken } : {}) };
      },
    });
    return { app, prepared: prepared as PreparedStart, log: lines() };
  }

  it('refuses the demo key and the demo password when HOST is not loopback, says why, and loads no demo', async () => {
    const started = await startAs({ HOST: '0.0.0.0' }, { demo: true, earlierDemo: true });
    t = started.app;
    expect(started.prepared.acceptDemoCredentials).toBe(false);
    expect(started.log.join('\n')).toMatch(/--demo ignored: HOST=0\.0\.0\.0 is not loopback: no demo data is loaded and the demo API key and demo password are refused/);
    expect(await t.store.db.selectFrom('managers').select('id').execute()).toEqual([]);

    const byKey = await t.request({ method: 'GET', url: '/api/v1/leads', key: DEMO_API_KEY });
    expect(byKey.statusCode).toBe(401);
    expect(byKey.json().error.message).toMatch(/demo API key works only on a server listening on 127\.0\.0\.1/);
    const byPassword = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'admin@demo.leadrouter.local', password: DEMO_PASSWORD } });
    expect(byPassword.statusCode).toBe(401);
    expect(byPassword.json().error.message).toMatch(/demo password works only/);
    // Other keys are not affected.
    expect((await t.request({ method: 'GET', url: '/api/v1/leads' })).statusCode).toBe(200);
  });

  it('refuses them without --demo too, when an earlier demo is still in the database', async () => {
    const started = await startAs({ HOST: '192.168.1.20' }, { demo: false, earlierDemo: true });
    t = started.app;
    expect(started.log.join('\n')).toMatch(/demo API key and demo password refused: HOST=192\.168\.1\.20 is not loopback/);
    expect((await t.request({ method: 'GET', url: '/api/v1/leads', key: DEMO_API_KEY })).statusCode).toBe(401);
  });

  it('accepts them on loopback', async () => {
    const started = await startAs({ HOST: '127.0.0.1' }, { demo: false, earlierDemo: true });
    t = started.app;
    expect((await t.request({ method: 'GET', url: '/api/v1/leads', key: DEMO_API_KEY })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'admin@demo.leadrouter.local', password: DEMO_PASSWORD } })).statusCode).toBe(200);
  });

  it('a production start seeds nothing, even with --demo on loopback, and refuses the demo key', async () => {
    const started = await startAs({ HOST: '127.0.0.1', NODE_ENV: 'production' }, { demo: true });
    t = started.app;
    expect(await hasNoUsers(t.ctx)).toBe(true);
    expect(await t.store.db.selectFrom('managers').select('id').execute()).toEqual([]);
    expect(await t.store.db.selectFrom('leads').select('id').execute()).toEqual([]);
    expect(started.log.join('\n')).toMatch(/NODE_ENV=production/);
    expect(started.prepared.acceptDemoCredentials).toBe(false);
    expect((await t.request({ method: 'GET', url: '/api/v1/leads', key: DEMO_API_KEY })).statusCode).toBe(401);
  });

  it('prints a one-time setup token on an empty database that creates the first admin once', async () => {
    const started = await startAs({ HOST: '0.0.0.0', NODE_ENV: 'production' }, { demo: false });
    t = started.app;
    const token = started.prepared.setupToken;
    expect(token).toBeInstanceOf(SetupToken);
    expect(started.log.join('\n')).toContain(token?.plaintext);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ open: true });

    const admin = { email: 'Owner@Example.test', name: 'Owner', password: 'a long first password' };
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...admin, token: 'lr_setup_guess' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('LR_ERR_FORBIDDEN');
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...admin, password: 'short', token: token?.plaintext } });
    expect(short.statusCode).toBe(400);

    const made = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...admin, token: token?.plaintext } });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ email: 'owner@example.test', role: 'admin', active: true });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...admin, email: 'second@example.test', token: token?.plaintext } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LR_ERR_CONFLICT');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ open: false });

    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: admin.email, password: admin.password } });
    expect(signedIn.statusCode).toBe(200);
  });

  it('two setups at once make one admin', async () => {
    const started = await startAs({ HOST: '127.0.0.1' }, { demo: false });
    t = started.app;
    const app = t.app;
    const token = started.prepared.setupToken?.plaintext;
    const answers = await Promise.all(['a', 'b'].map(async (n) => await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: `${n}@example.test`, name: n, password: 'a long first password', token } })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  });

  it('closes the setup once someone exists (the CLI made the first admin), and prints no token then', async () => {
    const started = await startAs({ HOST: '127.0.0.1' }, { demo: false });
    t = started.app;
    await createUser(t.ctx, SYSTEM('cli'), { email: 'cli@example.test', name: 'CLI admin', password: 'a long first password', role: 'admin' });
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'late@example.test', name: 'Late', password: 'a long first password', token: started.prepared.setupToken?.plaintext } });
    expect(late.statusCode).toBe(409);

    const { logger, lines } = capturedLogger();
    const next = await prepareStart(t.ctx, loadConfig({ HOST: '127.0.0.1' }), { demo: false }, logger, 'http://host:3000');
    expect(next.setupToken).toBeUndefined();
    expect(lines().join('\n')).not.toMatch(/setup token/);
  });

  it('without a setup token (a server started on a database with people) the setup is closed', async () => {
    t = await startTestApp(kind);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ open: false });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'x@example.test', name: 'X', password: 'a long first password', token: 'lr_setup_x' } })).statusCode).toBe(409);
  });
});
