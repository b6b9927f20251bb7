import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createUser } from '../../src/app/people/users.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Line = Record<string, unknown> & { msg: string; reqId?: string };

function capturedLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Line);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink) as Logger, lines };
}

describe.each(DATABASE_KINDS)('request ids and the access log on %s', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start(accessLog: boolean): Promise<{ t: TestApp; lines: Line[] }> {
    const { logger, lines } = capturedLogger();
    t = await startTestApp(kind, { prepare: async () => ({ logger, accessLog }) });
    return { t, lines };
  }

  it('answers every request with an X-Request-Id, keeping a sane one sent in and replacing any other', async () => {
    const { t } = await start(false);
    const kept = await t.request({ method: 'GET', url: '/api/v1/leads', headers: { 'x-request-id': 'edge-7f3a.42:1' } });
    expect(kept.headers['x-request-id']).toBe('edge-7f3a.42:1');
    for (const bad of ['has space', 'a'.repeat(129), 'quote"in', '']) {
      const res = await t.request({ method: 'GET', url: '/health/live', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id'], JSON.stringify(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
    const a = await t.request({ method: 'GET', url: '/health/live' });
    const b = await t.request({ method: 'GET', url: '/health/live' });
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    // Errors, unknown routes and refusals carry it too.
    expect((await t.request({ method: 'GET', url: '/api/v1/leads', key: null })).headers['x-request-id']).toBeDefined();
    expect((await t.request({ method: 'GET', url: '/api/v1/nothing-here' })).headers['x-request-id']).toBeDefined();
    expect((await t.request({ method: 'GET', url: '/api/v1/leads/%zz' })).headers['x-request-id']).toBeDefined();
    expect((await t.request({ method: 'POST', url: '/api/v1/leads', payload: '{bad', headers: { 'content-type': 'application/json' } })).headers['x-request-id']).toBeDefined();
  });

  it('writes one access line per request with the request id, and none when turned off', async () => {
    const on = await start(true);
    const res = await on.t.request({ method: 'GET', url: '/api/v1/leads?limit=1', headers: { 'x-request-id': 'trace-1' } });
    const access = on.lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ reqId: 'trace-1', method: 'GET', url: '/api/v1/leads?limit=1', status: 200, ms: expect.any(Number) });
    expect(res.headers['x-request-id']).toBe('trace-1');
    await on.t.close();

    const off = await start(false);
    await off.t.request({ method: 'GET', url: '/api/v1/leads?limit=1' });
    expect(off.lines.filter((l) => l.msg === 'request')).toEqual([]);
  });

  it('logs failed sign-ins and the lockout with the request id, never the password', async () => {
    const { t, lines } = await start(false);
    await createUser(t.ctx, SYSTEM('test'), { email: 'victim@example.test', name: 'Victim', password: 'the real password', role: 'manager' });
    for (let i = 0; i < 6; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'victim@example.test', password: `guess-number-${i}` }, headers: { 'x-request-id': `guess-${i}` } });
    }
    const failed = lines.filter((l) => l.msg === 'sign-in failed');
    expect(failed).toHaveLength(5);
    expect(failed[0]).toMatchObject({ reqId: 'guess-0', email: 'victim@example.test', ip: expect.any(String) });
    expect(lines.filter((l) => l.msg.startsWith('sign-in refused: locked out'))).toMatchObject([{ reqId: 'guess-5', email: 'victim@example.test' }]);
    expect(JSON.stringify(lines)).not.toMatch(/guess-number/);
  });
});
