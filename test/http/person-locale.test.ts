import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_KINDS)("a person's interface language on %s", (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-11-25T09:00:00.000Z') });
    await setUpRouting(t, { managers: [manager('m1')], ruleSet: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } } });
  });
  afterEach(async () => await t.close());

  it('is not chosen at first, then remembered for every later sign-in', async () => {
    const anna = await t.signIn({ role: 'manager', managerId: 'm1', email: 'anna@example.test' });
    expect((await anna.request({ method: 'GET', url: '/api/v1/session' })).json().user.locale).toBeNull();

    const chosen = await anna.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ id: anna.id, email: 'anna@example.test', locale: 'en' });
    expect((await anna.request({ method: 'GET', url: '/api/v1/session' })).json().user.locale).toBe('en');

    // Another device: the sign-in answer already carries the choice.
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.test', password: TEST_PASSWORD } });
    expect(again.json().user.locale).toBe('en');

    expect((await anna.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'ru' } })).json().locale).toBe('ru');
    const admin = await t.signIn({ role: 'admin' });
    const audit = (await admin.request({ method: 'GET', url: `/api/v1/audit?entity=user&entityId=${anna.id}` })).json().items as Array<{ action: string; actor: string; before: unknown; after: unknown }>;
    const changes = audit.filter((e) => e.action === 'user.locale_changed');
    expect(changes.map((e) => [e.before, e.after])).toEqual(expect.arrayContaining([[{ locale: null }, { locale: 'en' }], [{ locale: 'en' }, { locale: 'ru' }]]));
    expect(changes.every((e) => e.actor === `user:${anna.id}`)).toBe(true);
  });

  it('takes ru or en only, with the CSRF token, from a signed-in person only', async () => {
    const anna = await t.signIn({ role: 'qualifier' });
    for (const payload of [{ locale: 'de' }, { locale: null }, {}, { locale: 'ru', theme: 'dark' }]) {
      const res = await anna.request({ method: 'PUT', url: '/api/v1/me/locale', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('LR_ERR_VALIDATION');
      expect(res.json().error.details[0].path, JSON.stringify(payload)).toBe(payload.theme ? 'theme' : 'locale');
    }
    const forged = await t.app.inject({ method: 'PUT', url: '/api/v1/me/locale', headers: { cookie: anna.cookie }, payload: { locale: 'en' } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('LR_ERR_CSRF');
    const byKey = await t.request({ method: 'PUT', url: '/api/v1/me/locale', payload: { locale: 'en' } });
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().error.code).toBe('LR_ERR_FORBIDDEN');
    expect((await anna.request({ method: 'GET', url: '/api/v1/session' })).json().user.locale).toBeNull();
  });

  it('is set or cleared by an admin too', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'ivan@example.test', name: 'Иван', password: TEST_PASSWORD, role: 'qualifier', locale: 'en' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().locale).toBe('en');
    const cleared = await t.request({ method: 'PATCH', url: `/api/v1/users/${created.json().id}`, payload: { locale: null } });
    expect(cleared.json().locale).toBeNull();
    const plain = await t.request({ method: 'POST', url: '/api/v1/users', payload: { email: 'olga@example.test', name: 'Ольга', password: TEST_PASSWORD, role: 'qualifier' } });
    expect(plain.json().locale).toBeNull();
  });
});
