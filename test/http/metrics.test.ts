import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The value of one sample line of the exposition text (0 when the series is absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const TOKEN = 'metrics-token-0123456789';

describe.each(DATABASE_KINDS)('Prometheus metrics on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => await t.close());

  const scrape = async (headers: Record<string, string> = {}, remoteAddress?: string) =>
    await t.app.inject({ method: 'GET', url: '/metrics', headers, ...(remoteAddress ? { remoteAddress } : {}) });

  it('count the leads intake stored by channel and the decisions, and show the pool and the outbox from the database', async () => {
    t = await startTestApp(kind);
    const before = (await scrape()).body;
    for (const channel of ['form', 'form', 'phone']) {
      const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Лид', phone: '+79161234567', channel, source: 'website' } });
      expect(res.statusCode).toBe(201);
    }
    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = res.body;
    expect(sample(after, 'leadrouter_leads_accepted_total{channel="form"}') - sample(before, 'leadrouter_leads_accepted_total{channel="form"}')).toBe(2);
    expect(sample(after, 'leadrouter_leads_accepted_total{channel="phone"}') - sample(before, 'leadrouter_leads_accepted_total{channel="phone"}')).toBe(1);
    // No rule set published: every lead waits in the pool, and the gauge reads the database.
    expect(sample(after, 'leadrouter_routing_decisions_total{outcome="pool",rule="none"}') - sample(before, 'leadrouter_routing_decisions_total{outcome="pool",rule="none"}')).toBe(3);
    expect(sample(after, 'leadrouter_pool_leads')).toBe(3);
    expect(sample(after, 'leadrouter_intake_duration_seconds_count') - sample(before, 'leadrouter_intake_duration_seconds_count')).toBe(3);
    expect(after).toMatch(/^leadrouter_outbox_backlog \d+$/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
    if (kind === 'postgres') expect(after).toMatch(/^leadrouter_db_pool_connections\{state="total"\} \d+$/m);
  });

  it('answer only a scraper on this machine unless a token is set, and never one that came through a proxy', async () => {
    t = await startTestApp(kind);
    const remote = await scrape({}, '10.1.2.3');
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ error: { code: 'LR_ERR_FORBIDDEN', message: expect.stringMatching(/METRICS_TOKEN/) } });
    expect((await scrape({ 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(403);
  });

  it('with METRICS_TOKEN, answer whoever sends it as a bearer token, from anywhere, and refuse others with 401', async () => {
    t = await startTestApp(kind, { prepare: async () => ({ metricsToken: TOKEN }) });
    const without = await scrape({}, '10.1.2.3');
    expect(without.statusCode).toBe(401);
    expect(without.headers['www-authenticate']).toBeDefined();
    expect((await scrape({ authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}` }, '10.1.2.3')).statusCode).toBe(200);
  });
});
