import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'Everyone', target: { kind: 'group', managers: ['m1'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  createdBy: { actor: string; name: string | null } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe.each(DATABASE_KINDS)('API keys in the console on %s', (kind) => {
  let t: TestApp;
  let clock: Date;
  let admin: TestUser;

  beforeEach(async () => {
    clock = new Date('2026-11-23T10:00:00.000Z');
    t = await startTestApp(kind, { now: () => clock });
    await setUpRouting(t, { teams: [{ id: 'north', name: 'North' }], managers: [manager('m1', { teamId: 'north' })], ruleSet: ROUND_ROBIN });
    admin = await t.signIn({ role: 'admin', name: 'Ольга Админ' });
  });
  afterEach(async () => await t.close());

  const list = async (): Promise<KeyView[]> => {
    const res = await admin.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: KeyView[] }>().items;
  };
  const sendLead = async (key: string, name = 'Ivan') => await t.request({ method: 'POST', url: '/api/v1/leads', key, payload: { name, phone: '+79990001122' } });

  it('an admin creates a key, sees it once, the key sends leads, its last use shows, and once revoked it is refused at once', async () => {
    const created = await admin.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: '  Website form  ', scopes: ['leads:write', 'leads:read', 'leads:write'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { key, plaintext } = created.json<{ key: KeyView; plaintext: string }>();
    expect(plaintext).toMatch(/^lr_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'Website form', prefix: plaintext.slice(0, 10), scopes: ['leads:write', 'leads:read'], lastUsedAt: null, revokedAt: null, createdAt: clock.toISOString() });
    expect(key.createdBy).toEqual({ actor: `user:${admin.id}`, name: 'Ольга Админ' });

    // The plaintext is never answered again.
    const listed = await admin.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(listed.body).not.toContain(plaintext);
    expect(listed.body).not.toContain('hash');
    expect((await list()).find((k) => k.id === key.id)?.lastUsedAt).toBeNull();

    const firstUse = clock.toISOString();
    expect((await sendLead(plaintext)).statusCode).toBe(201);
    expect((await list()).find((k) => k.id === key.id)?.lastUsedAt).toBe(firstUse);

    // Within a minute the use is not written again (intake is a hot path); after it, it is.
    clock = new Date(clock.getTime() + 30_000);
    expect((await sendLead(plaintext, 'Petr')).statusCode).toBe(201);
    expect((await list()).find((k) => k.id === key.id)?.lastUsedAt).toBe(firstUse);
    clock = new Date(clock.getTime() + 31_000);
    expect((await sendLead(plaintext, 'Sergey')).statusCode).toBe(201);
    expect((await list()).find((k) => k.id === key.id)?.lastUsedAt).toBe(clock.toISOString());

    const revoked = await admin.request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<KeyView>().revokedAt).toBe(clock.toISOString());
    // The verifier cached the key a moment ago; the revocation drops it in this process at once.
    const refused = await sendLead(plaintext, 'Too late');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('LR_ERR_UNAUTHORIZED');

    // Revoking again changes nothing; an unknown id is a 404.
    clock = new Date(clock.getTime() + 60_000);
    const again = await admin.request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}` });
    expect(again.statusCode).toBe(200);
    expect(again.json<KeyView>().revokedAt).toBe(revoked.json<KeyView>().revokedAt);
    const unknown = await admin.request({ method: 'DELETE', url: '/api/v1/api-keys/no-such-key' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('LR_ERR_NOT_FOUND');

    // Both changes are in the audit log, once each, without the key itself.
    const audit = await admin.request({ method: 'GET', url: `/api/v1/audit?entity=api_key&entityId=${key.id}` });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(plaintext);
    const entries = audit.json<{ items: Array<{ action: string; actor: string; before: unknown; after: unknown }> }>().items;
    expect(entries.map((e) => e.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    for (const e of entries) expect(e.actor).toBe(`user:${admin.id}`);
    expect(entries.find((e) => e.action === 'api_key.created')?.after).toMatchObject({ name: 'Website form', scopes: ['leads:write', 'leads:read'] });
    expect(entries.find((e) => e.action === 'api_key.revoked')?.before).toMatchObject({ revokedAt: null });
  });

  it('an admin-scoped key may manage keys; people of other roles and narrower keys get 403', async () => {
    const byKey = await t.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Provisioning', scopes: ['admin'] } });
    expect(byKey.statusCode, byKey.body).toBe(201);
    expect(byKey.json<{ key: KeyView }>().key.createdBy).toEqual({ actor: expect.stringMatching(/^api-key:/), name: null });
    const target = byKey.json<{ key: KeyView }>().key.id;

    const head = await t.signIn({ role: 'head', teamId: 'north' });
    const worker = await t.signIn({ role: 'manager', managerId: 'm1' });
    const narrow = await t.keyWithScopes(['leads:write', 'team:write']);
    const calls = [
      { method: 'GET' as const, url: '/api/v1/api-keys' },
      { method: 'POST' as const, url: '/api/v1/api-keys', payload: { name: 'Sneaky', scopes: ['admin'] } },
      { method: 'DELETE' as const, url: `/api/v1/api-keys/${target}` },
    ];
    for (const call of calls) {
      for (const res of [await head.request(call), await worker.request(call), await t.request({ ...call, key: narrow })]) {
        expect(res.statusCode, `${call.method} ${call.url}: ${res.body}`).toBe(403);
        expect(res.json().error.code).toBe('LR_ERR_FORBIDDEN');
      }
      expect((await t.app.inject(call)).statusCode).toBe(401);
    }
    expect((await list()).find((k) => k.id === target)?.revokedAt).toBeNull();
    expect((await list()).some((k) => k.name === 'Sneaky')).toBe(false);
  });

  it('bad input gets a 400 that names the field, never a 500, and makes no key', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ name: '', scopes: ['leads:write'] }, 'name', 'too_small'],
      [{ name: '   ', scopes: ['leads:write'] }, 'name', 'too_small'],
      [{ name: 'x'.repeat(101), scopes: ['leads:write'] }, 'name', 'too_big'],
      [{ scopes: ['leads:write'] }, 'name', 'invalid_type'],
      [{ name: 'Form', scopes: [] }, 'scopes', 'too_small'],
      [{ name: 'Form' }, 'scopes', 'invalid_type'],
      [{ name: 'Form', scopes: 'leads:write' }, 'scopes', 'invalid_type'],
      [{ name: 'Form', scopes: ['leads:write', 'leads:delete'] }, 'scopes[1]', 'unknown_scope'],
      [{ name: 'Form', scopes: ['leads:write'], hash: 'mine' }, 'hash', 'unrecognized_keys'],
    ];
    for (const [payload, path, code] of cases) {
      const res = await admin.request({ method: 'POST', url: '/api/v1/api-keys', payload: payload as object });
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      const error = res.json<{ error: { code: string; message: string; details: Array<{ path: string; code: string; message: string }> } }>().error;
      expect(error.code).toBe('LR_ERR_VALIDATION');
      expect(error.details, JSON.stringify(payload)).toContainEqual(expect.objectContaining({ path, code }));
    }
    const unknownScope = await admin.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Form', scopes: ['leads:delete'] } });
    expect(unknownScope.json().error.message).toContain('Unknown scope "leads:delete"; use one of leads:write');
    expect((await admin.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'x'.repeat(100), scopes: ['rules:read'] } })).statusCode).toBe(201);
    // Only the test's own admin key and the 100-character one exist.
    expect((await list()).map((k) => k.name.length).sort()).toEqual([10, 100]);
  });
});
