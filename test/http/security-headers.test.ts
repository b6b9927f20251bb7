import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createUser } from '../../src/app/people/users.js';
import { WWW_AUTHENTICATE } from '../../src/http/security-headers.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_KINDS)('security headers, Retry-After and WWW-Authenticate on %s', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('sends a Content-Security-Policy the web app works under, and helmet’s other headers; no HSTS over plain HTTP', async () => {
    t = await startTestApp(kind);
    const res = await t.request({ method: 'GET', url: '/api/v1/leads' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Errors carry them too.
    expect((await t.request({ method: 'GET', url: '/api/v1/nothing' })).headers['x-content-type-options']).toBe('nosniff');
  });

  it('adds HSTS and upgrade-insecure-requests behind HTTPS (COOKIE_SECURE)', async () => {
    t = await startTestApp(kind, { prepare: async () => ({ secureCookies: true }) });
    const res = await t.request({ method: 'GET', url: '/health/live' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('names the ways to authenticate on every 401', async () => {
    t = await startTestApp(kind);
    for (const res of [
      await t.request({ method: 'GET', url: '/api/v1/leads', key: null }),
      await t.request({ method: 'GET', url: '/api/v1/leads', key: 'lr_not_a_key_at_all_0000000000' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'nobody@example.test', password: 'wrong password' } }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(WWW_AUTHENTICATE);
      expect(res.headers['www-authenticate']).toContain('header="X-Api-Key"');
      expect(res.headers['www-authenticate']).toContain('cookie="lr_session"');
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/leads' })).headers['www-authenticate']).toBeUndefined();
  });

  it('says how long to wait on a 429 (the sign-in lockout: its 15-minute window) and on a 503', async () => {
    t = await startTestApp(kind);
    await createUser(t.ctx, SYSTEM('test'), { email: 'locked@example.test', name: 'Locked', password: 'the real password', role: 'manager' });
    let last;
    for (let i = 0; i < 6; i++) last = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'locked@example.test', password: `wrong ${i} password` } });
    expect(last?.statusCode).toBe(429);
    expect(last?.headers['retry-after']).toBe('900');

    await t.store.close();
    const down = await t.request({ method: 'GET', url: '/health' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    // The store is closed already: closing it again may throw.
    const closing = t;
    t = undefined;
    await closing.close().catch(() => undefined);
  });
});
