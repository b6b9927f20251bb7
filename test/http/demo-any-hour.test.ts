import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/app/demo/seed-demo.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A lead of each kind the demo's rules tell apart. */
const LEADS = [
  { region: 'Москва' },
  { region: 'Санкт-Петербург' },
  { region: 'Новосибирская область' },
  { region: 'Приморский край' },
  { region: 'Татарстан' },
  { region: 'Москва', language: 'en' },
  { region: 'Москва', dealValue: 5_000_000, industry: 'банки' },
  { region: 'Москва', source: 'partner' },
  { region: 'Москва', source: 'purchased-base' },
];

/** Sunday 2026-12-06 00:00 UTC, when the demo is loaded; the leads come after, at every kind of hour. */
const LOADED = Date.parse('2026-12-06T00:00:00Z');
const HOURS = [
  '2026-12-06T00:30:00Z', // Sunday night, 03:30 in Moscow
  '2026-12-06T11:00:00Z', // Sunday afternoon
  '2026-12-06T20:30:00Z', // Sunday 23:30 in Moscow, 07:30 Monday in Vladivostok
  '2026-12-07T00:30:00Z', // Monday 03:30 in Moscow
  '2026-12-07T08:30:00Z', // Monday 11:30 in Moscow
  '2026-12-07T15:00:00Z', // Monday 18:00 in Moscow, everyone's office closing
  '2026-12-08T18:00:00Z', // Tuesday 21:00 in Moscow
  '2026-12-12T21:30:00Z', // Sunday 00:30 in Moscow
];

const FEMININE_EXCEPTIONS = new Set(['Никита', 'Илья', 'Кузьма', 'Лука', 'Фома', 'Савва']);

/** «Анастасия Соколова», not «Анастасия Соколов»: a first name and a surname of the same gender. */
function genderMismatch(name: string): boolean {
  const [first, last] = name.replace(/\s*\(.*\)$/, '').split(/\s+/);
  if (!first || !last || !/^[А-ЯЁ]/.test(first)) return false;
  const feminine = /[ая]$/.test(first) && !FEMININE_EXCEPTIONS.has(first);
  const feminineSurname = /(а|ая)$/.test(last);
  const declinable = /(ов|ев|ин|ын|ой|ий|ый|ова|ева|ина|ына|ая)$/.test(last);
  return declinable && feminine !== feminineSurname;
}

describe.each(DATABASE_KINDS)('the demo at any hour on %s', (kind) => {
  let clock = LOADED;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: () => new Date(clock) });
    await seedDemoData(t.ctx, { leads: 60 });
  }, 120_000);
  afterAll(async () => await t.close());

  it('routes a lead sent at night, on a weekend or by day to a manager or the pool by a rule, never to the head of sales', async () => {
    let n = 0;
    for (const hour of HOURS) {
      clock = Date.parse(hour);
      for (const lead of LEADS) {
        n += 1;
        const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: { name: 'Тестовый Клиент', phone: `+7999${String(1_000_000 + n)}`, ...lead } });
        expect(res.statusCode).toBe(201);
        const { decision, lead: stored } = res.json();
        const where = `${hour} ${JSON.stringify(lead)}: ${decision.summaryText}`;
        expect(stored.ownerId, where).not.toBe('mgr-head');
        expect(decision.via, where).toBe('rule');
        expect(decision.summaryText, where).toMatch(/^Правило «/);
      }
    }
  }, 120_000);

  it('names its people with first names and surnames of the same gender', async () => {
    const users = await t.store.db.selectFrom('users').select('name').execute();
    const managers = await t.store.db.selectFrom('managers').select('name').execute();
    const contacts = await t.store.db.selectFrom('contacts').select('name').execute();
    const leads = await t.store.db.selectFrom('leads').select('name').execute();
    const names = [...users, ...managers, ...contacts, ...leads].map((r) => r.name).filter((x): x is string => typeof x === 'string');
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter(genderMismatch)).toEqual([]);
  });
});
