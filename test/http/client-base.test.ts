import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDefinition } from '../../src/app/routing/rule-sets.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { manager, setUpRouting, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const ruleSet = (holdingOwner?: 'fallback' | 'holding' | 'never') => ({
  ownership: { enabled: true, whenOwnerUnavailable: 'wait', ...(holdingOwner ? { holdingOwner } : {}) },
  rules: [{ id: 'all', name: 'All', target: { kind: 'group', managers: ['m1', 'm2', 's1'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
});

describe.each(DATABASE_KINDS)('the client base on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let head: TestUser;
  let anna: TestUser;
  const post = async (url: string, payload: object, as?: TestUser) => (as ? await as.request({ method: 'POST', url, payload }) : await t.request({ method: 'POST', url, payload }));
  const get = async (url: string, as?: TestUser) => (as ? await as.request({ method: 'GET', url }) : await t.request({ method: 'GET', url }));
  const company = async (payload: object) => {
    const res = await post('/api/v1/companies', payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string; domain: string | null; taxId: string | null; phones: string[]; ownerId: string | null };
  };
  const search = async (q: string, what = 'companies') => ((await get(`/api/v1/${what}?q=${encodeURIComponent(q)}`)).json().items as Array<{ id: string }>).map((c) => c.id);

  beforeAll(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, {
      teams: [{ id: 'north', name: 'North' }, { id: 'south', name: 'South' }],
      managers: [manager('m1', { teamId: 'north', name: 'Анна' }), manager('m2', { teamId: 'north', name: 'Борис' }), manager('s1', { teamId: 'south', name: 'Сергей' })],
      ruleSet: ruleSet(),
    });
    admin = await t.signIn({ role: 'admin' });
    head = await t.signIn({ role: 'head', teamId: 'north' });
    anna = await t.signIn({ role: 'manager', managerId: 'm1' });
  }, 120_000);
  afterAll(async () => await t.close());

  it('creates a company with its keys normalised, and finds it by name, ИНН, phone, e-mail and domain', async () => {
    const romashka = await company({ name: 'ООО «Ромашка»', taxId: '7707 083 893', domain: 'https://shop.romashka.ru/catalog', phones: ['8 (495) 123-45-67'], ownerId: 'm1', region: 'Москва' });
    expect(romashka).toMatchObject({ taxId: '7707083893', domain: 'romashka.ru', phones: ['+74951234567'], ownerId: 'm1', owner: { id: 'm1', name: 'Анна' } });
    const contact = await post('/api/v1/contacts', { name: 'Иван Петров', companyId: romashka.id, emails: ['Ivan@XN--80A1ACNY.XN--P1AI'], phones: ['+7 916 000-11-22'] });
    expect(contact.statusCode, contact.body).toBe(201);
    expect(contact.json()).toMatchObject({ emails: ['ivan@почта.рф'], phones: ['+79160001122'], company: { id: romashka.id, name: 'ООО «Ромашка»' } });

    expect(await search('ромаш')).toContain(romashka.id);
    expect(await search('РОМАШКА')).toContain(romashka.id);
    expect(await search('7707083893')).toEqual([romashka.id]);
    expect(await search('+7 495 123 45 67')).toEqual([romashka.id]);
    expect(await search('www.romashka.ru')).toEqual([romashka.id]);
    expect(await search('info@romashka.ru')).toEqual([romashka.id]);
    // The contact's e-mail finds the company and the contact, in either form of the domain.
    expect(await search('ivan@почта.рф')).toEqual([romashka.id]);
    expect(await search('ivan@xn--80a1acny.xn--p1ai', 'contacts')).toEqual([contact.json().id]);
    expect(await search('ivan@почта.рф', 'contacts')).toEqual([contact.json().id]);
    expect(await search('8 916 000 11 22', 'contacts')).toEqual([contact.json().id]);
    expect(await search('7707083893', 'contacts')).toEqual([contact.json().id]);
    expect(await search('петров', 'contacts')).toEqual([contact.json().id]);
    expect(await search('нет такой')).toEqual([]);
  });

  it('refuses bad and duplicate keys with the field named, never a 500', async () => {
    const bad = await post('/api/v1/companies', { name: 'X', taxId: '1234567890' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'taxId' });
    const mail = await post('/api/v1/companies', { name: 'X', domain: 'gmail.com' });
    expect(mail.statusCode).toBe(400);
    expect(mail.json().error.details[0]).toMatchObject({ path: 'domain', code: 'free_mail_domain' });
    await company({ name: 'Дубль', taxId: '7736207543' });
    const dup = await post('/api/v1/companies', { name: 'Дубль 2', taxId: '7736207543' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details[0]).toMatchObject({ path: 'taxId', code: 'duplicate' });
    const loop = await company({ name: 'Петля' });
    expect((await t.request({ method: 'PATCH', url: `/api/v1/companies/${loop.id}`, payload: { parentId: loop.id } })).json().error.details[0].code).toBe('loop');
    expect((await get('/api/v1/companies?cursor=nonsense')).json().error.code).toBe('LR_ERR_INVALID_CURSOR');
    expect((await post('/api/v1/contacts', {})).statusCode).toBe(400);
  });

  it('pages by name with a keyset cursor: every company once, in order', async () => {
    for (let i = 0; i < 7; i++) await company({ name: `Пагинация ${String.fromCharCode(0x430 + i)}`, region: 'paging' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/v1/companies?q=${encodeURIComponent('пагинация')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { items: Array<{ name: string }>; nextCursor: string | null };
      seen.push(...body.items.map((c) => c.name));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(7);
  });

  it('filters by owner, team, parent and unowned', async () => {
    const holding = await company({ name: 'Фильтр Холдинг', ownerId: 's1' });
    const sub = await company({ name: 'Фильтр Дочка', parentId: holding.id, ownerId: 'm2' });
    const none = await company({ name: 'Фильтр Ничья' });
    const ids = async (query: string) => ((await get(`/api/v1/companies?q=${encodeURIComponent('фильтр')}&${query}`)).json().items as Array<{ id: string }>).map((c) => c.id);
    expect(await ids('ownerId=s1')).toEqual([holding.id]);
    expect(await ids('teamId=north')).toEqual([sub.id]);
    expect(await ids(`parentId=${holding.id}`)).toEqual([sub.id]);
    expect(await ids('ownerId=none')).toEqual([none.id]);
    const card = (await get(`/api/v1/companies/${holding.id}`, anna)).json();
    expect(card.subsidiaries.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    expect((await get(`/api/v1/companies/${sub.id}`, anna)).json().company.parent).toEqual({ id: holding.id, name: 'Фильтр Холдинг' });
  });

  it('an owner change is kept in the owner history and the audit log; a head acts within the own team; a manager reads', async () => {
    const c = await company({ name: 'Смена владельца', ownerId: 'm1' });
    const changed = await head.request({ method: 'PUT', url: `/api/v1/companies/${c.id}/owner`, payload: { ownerId: 'm2', reason: 'отпуск' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().owner).toEqual({ id: 'm2', name: 'Борис' });
    const card = (await get(`/api/v1/companies/${c.id}`)).json();
    expect(card.ownerHistory.map((h: { owner: { id: string }; previousOwner: { id: string } | null; reason: string | null }) => [h.owner?.id, h.previousOwner?.id ?? null, h.reason])).toEqual([
      ['m2', 'm1', 'отпуск'],
      ['m1', null, null],
    ]);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'company').where('entity_id', '=', c.id).orderBy('at').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['company.created', 'company.owner_changed']);
    expect(audit[1]?.actor).toBe(`user:${head.id}`);
    const timeline = (await get(`/api/v1/companies/${c.id}/timeline`)).json().items as Array<{ type: string }>;
    expect(timeline.map((i) => i.type)).toEqual(expect.arrayContaining(['owner.changed', 'company.created']));

    // Another team's manager, or another team's client: 403.
    expect((await head.request({ method: 'PUT', url: `/api/v1/companies/${c.id}/owner`, payload: { ownerId: 's1' } })).statusCode).toBe(403);
    const south = await company({ name: 'Южный клиент', ownerId: 's1' });
    expect((await head.request({ method: 'PATCH', url: `/api/v1/companies/${south.id}`, payload: { region: 'Юг' } })).statusCode).toBe(403);
    expect((await head.request({ method: 'PUT', url: `/api/v1/companies/${c.id}/owner`, payload: { ownerId: 'nobody' } })).json().error.details[0].code).toBe('unknown_manager');
    // A manager reads the base but does not change it.
    expect((await get(`/api/v1/companies/${south.id}`, anna)).statusCode).toBe(200);
    expect((await anna.request({ method: 'POST', url: '/api/v1/companies', payload: { name: 'Моя' } })).statusCode).toBe(403);
  });

  it('a company owner change can take its contacts along', async () => {
    const c = await company({ name: 'С контактами', ownerId: 'm1' });
    const person = (await post('/api/v1/contacts', { name: 'Ольга', companyId: c.id, ownerId: 'm1', phones: ['+7 916 555-00-01'] })).json();
    await t.request({ method: 'PUT', url: `/api/v1/companies/${c.id}/owner`, payload: { ownerId: 'm2', withContacts: true } });
    const card = (await get(`/api/v1/contacts/${person.id}`)).json();
    expect(card.contact.ownerId).toBe('m2');
    expect(card.ownerHistory).toHaveLength(2);
  });

  it('merging two companies keeps every lead, deal, contact, subsidiary and owner history entry', async () => {
    const kept = await company({ name: 'Слияние', ownerId: 'm1', domain: 'merge-kept.ru' });
    const dup = await company({ name: 'Слияние (дубль)', taxId: '7710140679', phones: ['+7 495 777-00-01'] });
    await t.request({ method: 'PUT', url: `/api/v1/companies/${dup.id}/owner`, payload: { ownerId: 'm2' } });
    const child = await company({ name: 'Дочка дубля', parentId: dup.id });
    const person = (await post('/api/v1/contacts', { name: 'Пётр', companyId: dup.id, emails: ['petr@merge-dup.ru'] })).json();
    // A lead matched to the duplicate by its ИНН, then converted into a deal.
    const lead = (await post('/api/v1/leads', { name: 'Заявка', phone: '+7 916 777-00-02', taxId: '7710140679' })).json().lead;
    expect(lead.companyId).toBe(dup.id);
    const converted = await admin.request({ method: 'POST', url: `/api/v1/leads/${lead.id}/convert`, payload: { deal: { title: 'Сделка дубля' } } });
    expect(converted.statusCode, converted.body).toBe(201);

    const merged = await post(`/api/v1/companies/${kept.id}/merge`, { duplicateId: dup.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().company).toMatchObject({ id: kept.id, name: 'Слияние', taxId: '7710140679', domain: 'merge-kept.ru', phones: ['+74957770001'], ownerId: 'm1' });
    expect(merged.json().moved).toMatchObject({ leads: 1, deals: 1, subsidiaries: 1 });

    expect((await get(`/api/v1/companies/${kept.id}/leads`)).json().items.map((l: { id: string }) => l.id)).toEqual([lead.id]);
    expect((await get(`/api/v1/companies/${kept.id}/deals`)).json().items.map((d: { title: string }) => d.title)).toEqual(['Сделка дубля']);
    const card = (await get(`/api/v1/companies/${kept.id}`)).json();
    expect(card.subsidiaries.map((s: { id: string }) => s.id)).toEqual([child.id]);
    expect(card.contacts.map((c: { id: string }) => c.id)).toContain(person.id);
    // Both histories: the kept one's (m1) and the duplicate's (m2).
    expect(card.ownerHistory.map((h: { owner: { id: string } }) => h.owner.id).sort()).toEqual(['m1', 'm2']);
    const gone = await get(`/api/v1/companies/${dup.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain(kept.id);
    expect(await search('7710140679')).toEqual([kept.id]);
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('action', 'in', ['company.merged', 'company.merged_into']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['company.merged', 'company.merged_into']);
    // A manager may not merge; a company is not merged with itself.
    expect((await anna.request({ method: 'POST', url: `/api/v1/companies/${kept.id}/merge`, payload: { duplicateId: child.id } })).statusCode).toBe(403);
    expect((await post(`/api/v1/companies/${kept.id}/merge`, { duplicateId: kept.id })).statusCode).toBe(400);
  });

  it('merging two contacts joins their phones and e-mails and moves their leads', async () => {
    const a = (await post('/api/v1/contacts', { name: 'Мария', phones: ['+7 916 888-00-01'] })).json();
    const b = (await post('/api/v1/contacts', { name: 'Мария К.', emails: ['maria@почта.рф'], ownerId: 'm2' })).json();
    const lead = (await post('/api/v1/leads', { name: 'Мария', email: 'maria@xn--80a1acny.xn--p1ai' })).json().lead;
    expect(lead.contactId).toBe(b.id);
    const res = await post(`/api/v1/contacts/${a.id}/merge`, { duplicateId: b.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().contact).toMatchObject({ phones: ['+79168880001'], emails: ['maria@почта.рф'], ownerId: 'm2' });
    expect((await get(`/api/v1/contacts/${a.id}/leads`)).json().items.map((l: { id: string }) => l.id)).toEqual([lead.id]);
    // A later lead by the e-mail finds the kept contact.
    const again = (await post('/api/v1/leads', { name: 'Мария', email: 'MARIA@почта.рф', phone: '+7 916 888-00-01' })).json().lead;
    expect(again.contactId).toBe(a.id);
  });

  it("a subsidiary's lead follows the holding's owner as the ownership policy says", async () => {
    const holding = await company({ name: 'Холдинг Альфа', ownerId: 's1' });
    const ownedSub = await company({ name: 'Альфа Север', parentId: holding.id, ownerId: 'm1', domain: 'alfa-north.ru' });
    const freeSub = await company({ name: 'Альфа Юг', parentId: holding.id, domain: 'alfa-south.ru' });
    const owner = async (website: string) => {
      const res = await post('/api/v1/leads', { name: 'Клиент', website });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { lead: { ownerId: string; companyId: string }; decision: { via: string; trace: { ownership?: { via: string } } } };
    };
    // fallback (default): the subsidiary's own owner; the holding's when it has none.
    expect((await owner('https://shop.alfa-north.ru')).lead).toMatchObject({ ownerId: 'm1', companyId: ownedSub.id });
    expect((await owner('alfa-south.ru')).lead).toMatchObject({ ownerId: 's1', companyId: freeSub.id });
    // holding: the holding's owner first.
    await publishDefinition(t.ctx, ruleSet('holding'), 'test', null);
    const first = await owner('alfa-north.ru');
    expect(first.lead.ownerId).toBe('s1');
    expect(first.decision).toMatchObject({ via: 'ownership', trace: { ownership: { via: 'parent_company' } } });
    // never: the holding's owner is not used; the rules decide for the unowned subsidiary.
    await publishDefinition(t.ctx, ruleSet('never'), 'test', null);
    expect((await owner('alfa-north.ru')).lead.ownerId).toBe('m1');
    expect((await owner('alfa-south.ru')).decision.via).toBe('rule');
    await publishDefinition(t.ctx, ruleSet(), 'test', null);
    // A rule set with an unknown holdingOwner value is refused.
    const refused = await t.request({ method: 'POST', url: '/api/v1/rule-sets/validate', payload: { definition: { ...ruleSet(), ownership: { enabled: true, whenOwnerUnavailable: 'wait', holdingOwner: 'sometimes' } } } });
    expect(JSON.stringify(refused.json())).toContain('holdingOwner');
  });
});
