import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, OWASP_SCRYPT, setPasswordHashCost, verifyPassword } from '../../src/app/people/passwords.js';
import { findUserCredentials } from '../../src/store/user-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/** The suite's low cost (test/support/fast-passwords.ts), restored after each test. */
const SUITE_COST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  afterEach(() => setPasswordHashCost(SUITE_COST));

  it("are scrypt at OWASP's cost (N=2^17, r=8, p=1) and verify only the right password", async () => {
    setPasswordHashCost(OWASP_SCRYPT);
    const stored = await hashPassword('пароль с пробелами');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword('пароль с пробелами', stored)).toBe(true);
    expect(await verifyPassword('пароль с пробелам', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('signing in with a hash from a cheaper time on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => {
    setPasswordHashCost(SUITE_COST);
    await t.close();
  });

  it('upgrades the stored hash to the current cost, and the password keeps working', async () => {
    t = await startTestApp(kind);
    const user = await t.signIn({ role: 'admin' });
    const before = (await findUserCredentials(t.store.db, user.email))?.passwordHash as string;
    expect(before).toMatch(/^scrypt\$1024\$/);

    setPasswordHashCost(OWASP_SCRYPT);
    expect(needsRehash(before)).toBe(true);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const after = (await findUserCredentials(t.store.db, user.email))?.passwordHash as string;
    expect(after).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(TEST_PASSWORD, after)).toBe(true);

    // A wrong password changes nothing.
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect((await findUserCredentials(t.store.db, user.email))?.passwordHash).toBe(after);
  });
});
