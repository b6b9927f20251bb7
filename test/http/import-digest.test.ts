import { afterEach, describe, expect, it } from 'vitest';
import { importLeadFile, importDigest } from '../../src/app/intake/import-leads.js';
import { LeadIntake } from '../../src/app/intake/lead-intake.js';
import { readJson } from '../../src/store/json.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const ROUND_ROBIN = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};
const POLICY = { name: 'Inbound', firstContactMinutes: 30, maxReassignments: 2, onExhausted: 'head' };

/** An import does not flood people: one digest per manager instead of a message per lead, and SLA clocks only when asked. */
describe.each(DATABASE_KINDS)('importing a file on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => await t.close());

  const messages = async () =>
    (await t.store.db.selectFrom('outbox').select(['topic', 'payload']).execute()).map((m) => ({ topic: m.topic, payload: readJson<Record<string, unknown>>(String(m.payload), {}) }));

  it('tells each manager once how many leads are theirs, in their language, and starts no SLA clock unless asked', async () => {
    t = await startTestApp(kind, { now: () => new Date('2026-03-04T09:00:00Z') });
    await setUpRouting(t, { managers: [manager('anna'), manager('boris')], ruleSet: ROUND_ROBIN });
    expect((await t.request({ method: 'POST', url: '/api/v1/sla/policies', payload: POLICY })).statusCode).toBe(201);
    const anna = await t.signIn({ role: 'manager', managerId: 'anna' });
    const before = (await messages()).length;
    const leads = Array.from({ length: 5 }, (_, i) => ({ name: `Клиент ${i}`, phone: `+7916000000${i}` }));
    const intake = new LeadIntake(t.ctx);

    const summary = await importLeadFile(t.ctx, intake, { content: 'base.csv bytes', leads, actor: 'test', fileName: 'base.csv' });
    expect(summary).toMatchObject({ created: 5, assigned: 5, byOwner: { anna: 3, boris: 2 } });
    const sent = (await messages()).slice(before);
    expect(sent.map((m) => m.topic)).toEqual(['leads.imported', 'leads.imported']);
    const toAnna = sent.find((m) => m.payload.managerId === 'anna')?.payload;
    expect(toAnna).toMatchObject({ count: 3, file: 'base.csv', locale: 'ru', text: '3 лида из base.csv теперь ваши', audience: { users: [anna.id] } });
    // Boris signs in as nobody: the digest reaches his profile.
    expect(sent.find((m) => m.payload.managerId === 'boris')?.payload).toMatchObject({ count: 2, audience: { managers: ['boris'] } });
    const imported = await t.store.db.selectFrom('leads').select(['sla_due_at']).execute();
    expect(imported.map((l) => l.sla_due_at)).toEqual([null, null, null, null, null]);

    // The same file again adds nothing and tells nobody; another one with --sla starts the clocks.
    await importLeadFile(t.ctx, intake, { content: 'base.csv bytes', leads, actor: 'test', fileName: 'base.csv' });
    expect((await messages()).length).toBe(before + 2);
    await importLeadFile(t.ctx, intake, { content: 'hot.csv bytes', leads: [{ name: 'Горячий', phone: '+79161110000' }], actor: 'test', fileName: 'hot.csv', slaClocks: true });
    const hot = await t.store.db.selectFrom('leads').select(['sla_due_at']).where('name', '=', 'Горячий').executeTakeFirstOrThrow();
    expect(hot.sla_due_at).not.toBeNull();
    await intake.close();
  });

  it('says the count in Russian and English with the right forms', () => {
    expect(['ru', 'en'].flatMap((l) => [1, 2, 5, 11, 21, 412].map((n) => importDigest(n, 'b.xlsx', l as 'ru' | 'en')))).toEqual([
      '1 лид из b.xlsx теперь ваш',
      '2 лида из b.xlsx теперь ваши',
      '5 лидов из b.xlsx теперь ваши',
      '11 лидов из b.xlsx теперь ваши',
      '21 лид из b.xlsx теперь ваш',
      '412 лидов из b.xlsx теперь ваши',
      '1 lead from b.xlsx is now yours',
      '2 leads from b.xlsx are now yours',
      '5 leads from b.xlsx are now yours',
      '11 leads from b.xlsx are now yours',
      '21 leads from b.xlsx are now yours',
      '412 leads from b.xlsx are now yours',
    ]);
  });
});
