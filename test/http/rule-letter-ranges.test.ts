import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertManagers } from '../../src/store/manager-queries.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, startTestApp, type TestApp } from '../support/test-app.js';

/** Companies А–К and A–M to Anna, Л–Я and N–Z to Boris; tenders to Olga; people without a company by their name. */
const BY_LETTER = {
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'tenders', name: 'Тендеры', when: { field: 'email', op: 'starts_with', value: 'Tender@' }, target: { kind: 'person', managerId: 'olga' } },
    { id: 'a-k', name: 'Компании А–К', when: { field: 'companyName', op: 'initial_in', value: ['А-К', 'A-M'] }, target: { kind: 'person', managerId: 'anna' } },
    { id: 'l-ya', name: 'Компании Л–Я', when: { field: 'companyName', op: 'initial_in', value: ['Л–Я', 'N-Z'] }, target: { kind: 'person', managerId: 'boris' } },
    {
      id: 'people-a-k',
      name: 'Частные лица А–К',
      when: { all: [{ field: 'companyName', op: 'exists', value: false }, { field: 'name', op: 'initial_in', value: ['а-к'] }] },
      target: { kind: 'person', managerId: 'olga' },
    },
  ],
  fallback: { kind: 'pool' },
};

interface Issue {
  path: string;
  code: string;
  message: string;
}

describe.each(DATABASE_KINDS)('letter-range rules on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await insertManagers(t.store.db, [manager('anna', { name: 'Анна' }), manager('boris', { name: 'Борис' }), manager('olga', { name: 'Ольга' })], t.ctx.now().toISOString());
  });
  afterEach(async () => {
    await t.close();
  });

  const publish = async (definition: unknown): Promise<void> => {
    const saved = await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition } });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().validation).toEqual({ ok: true, issues: [] });
    const published = await t.request({ method: 'POST', url: `/api/v1/rule-sets/${saved.json().ruleSet.version as number}/publish` });
    expect(published.statusCode, published.body).toBe(200);
  };
  const ownerOf = async (lead: Record<string, unknown>): Promise<{ owner: string | null; rule: string | null }> => {
    const res = await t.request({ method: 'POST', url: '/api/v1/leads', payload: lead });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ lead: { ownerId: string | null }; decision: { ruleId?: string | null } }>();
    return { owner: body.lead.ownerId, rule: body.decision.ruleId ?? null };
  };

  it('a published initial_in rule splits leads by the first letter of the company name, legal forms and quotes aside', async () => {
    await publish(BY_LETTER);
    const cases: Array<[Record<string, unknown>, string | null, string | null]> = [
      [{ name: 'Пётр', companyName: 'ООО «Ёлка»' }, 'anna', 'a-k'],
      [{ name: 'Пётр', companyName: '"Яндекс", ООО' }, 'boris', 'l-ya'],
      [{ name: 'Пётр', companyName: 'ИП Кузнецов' }, 'anna', 'a-k'],
      [{ name: 'Пётр', companyName: 'ЗАО «Лютик»' }, 'boris', 'l-ya'],
      [{ name: 'Пётр', companyName: 'OOO Мир' }, 'boris', 'l-ya'], // Latin OOO
      [{ name: 'Пётр', companyName: 'Общество с ограниченной ответственностью «Альфа»' }, 'anna', 'a-k'],
      [{ name: 'Пётр', companyName: '1С-Битрикс' }, 'boris', 'l-ya'],
      [{ name: 'John', companyName: 'Acme LLC' }, 'anna', 'a-k'],
      [{ name: 'John', companyName: 'Zeta Ltd' }, 'boris', 'l-ya'],
      [{ name: 'Пётр', companyName: 'Яблоко', email: 'tender@yabloko.ru' }, 'olga', 'tenders'],
      [{ name: 'Иванов Пётр' }, 'olga', 'people-a-k'],
      [{ name: 'Петров Иван' }, null, null], // no company, name after К: the fallback pool
      [{ name: 'Пётр', companyName: '«123»' }, null, null], // no letter at all
    ];
    for (const [lead, owner, rule] of cases) expect(await ownerOf(lead), JSON.stringify(lead)).toEqual({ owner, rule });
  });

  it('refuses a range typed in two keyboard layouts, and text ordering, naming the operator to use', async () => {
    const bad = structuredClone(BY_LETTER) as { rules: Array<{ when: unknown }> };
    (bad.rules[1] as { when: unknown }).when = { field: 'companyName', op: 'initial_in', value: ['А-K'] }; // Latin K
    (bad.rules[2] as { when: unknown }).when = { field: 'companyName', op: 'gte', value: 'Л' };
    const res = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: bad } });
    expect(res.statusCode, res.body).toBe(200);
    const issues = res.json<{ ok: boolean; issues: Issue[] }>().issues;
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['rules[1].when.value[0]', 'mixed_alphabet_range'],
      ['rules[2].when.op', 'operator_not_valid_for_field'],
    ]);
    expect(issues[0]?.message).toMatch(/^Rule "a-k": field "companyName": "А-K" joins a Cyrillic letter \(А\) with a Latin one \(K\)/);
    expect(issues[1]?.message).toContain('use "initial_in"');
    const saved = await t.request({ method: 'POST', url: '/api/v1/rule-sets', payload: { definition: bad } });
    const published = await t.request({ method: 'POST', url: `/api/v1/rule-sets/${saved.json().ruleSet.version as number}/publish` });
    expect(published.statusCode).toBeGreaterThanOrEqual(400);
    expect(published.statusCode).toBeLessThan(500);
  });
});
