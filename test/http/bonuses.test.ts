import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/app/access/principal.js';
import { createAppContext } from '../../src/app/app-context.js';
import { closeBonusPeriod } from '../../src/app/bonus/bonus-report.js';
import { openStore } from '../../src/store/database.js';
import { insertTeam } from '../../src/store/manager-queries.js';
import { DATABASE_KINDS, freshSharedStore } from '../support/databases.js';
import { PEOPLE, startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-world.js';
import type { TestUser } from '../support/test-app.js';

interface Line {
  dealId: string;
  managerId: string | null;
  role: string;
  shareBp: number;
  amountMinor: number | null;
  bonusMinor: number | null;
  currency: string | null;
  adjustment: boolean;
  adjustsPeriod: string | null;
  rule: string;
}
interface Report {
  period: string;
  teams: Array<{ teamId: string | null; closed: { closedAt: string; closedBy: string } | null }>;
  managers: Array<{ managerId: string | null; name: string; totals: Array<{ currency: string | null; creditedMinor: number; bonusMinor: number | null }>; lines: Line[] }>;
  totals: Array<{ currency: string | null; creditedMinor: number; bonusMinor: number | null }>;
}

const linesOf = (r: Report): Line[] => r.managers.flatMap((m) => m.lines);
const brief = (l: Line) => ({ managerId: l.managerId, role: l.role, amountMinor: l.amountMinor, bonusMinor: l.bonusMinor, adjustment: l.adjustment });

describe.each(DATABASE_KINDS)('bonus report on %s', (kind) => {
  let w: LifecycleWorld;
  beforeEach(async () => {
    w = await startLifecycleWorld(kind);
  });
  afterEach(async () => await w.t.close());

  async function report(who: TestUser | null, query: string): Promise<Report> {
    const res = who ? await who.request({ method: 'GET', url: `/api/v1/bonuses?${query}` }) : await w.t.request({ method: 'GET', url: `/api/v1/bonuses?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Report>();
  }

  /** Anna brings the client and presents; the deal is handed to Ivan, who signs the contract and wins it. */
  async function handedOverDeal(amount: number): Promise<string> {
    const anna = await w.as('anna');
    const ivan = await w.as('ivan');
    const leadId = await w.lead('anna');
    const deal = (await anna.request({ method: 'POST', url: `/api/v1/leads/${leadId}/convert`, payload: { deal: { title: 'CRM на 20 мест', amount, currency: 'rub' } } })).json().deal as { id: string };
    const presented = await anna.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { stage: 'presentation', controlPoints: { presentation: '2026-11-25T10:00:00.000Z' } } });
    expect(presented.json().controlPoints[0]).toEqual({ key: 'presentation', at: '2026-11-25T10:00:00.000Z', by: 'anna' });
    // The handover: the owner at closing is the closer.
    const handed = await anna.request({ method: 'PUT', url: `/api/v1/deals/${deal.id}/owner`, payload: { managerId: 'ivan', reason: 'Ведёт эксперт' } });
    expect(handed.statusCode, handed.body).toBe(200);
    const won = await ivan.request({ method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { closed: 'won', controlPoints: { contract: '2026-11-25T12:00:00.000Z' } } });
    expect(won.statusCode, won.body).toBe(200);
    expect(won.json().controlPoints[2]).toMatchObject({ key: 'contract', by: 'ivan' });
    return deal.id;
  }

  async function setSales(settings: object): Promise<void> {
    const res = await w.t.request({ method: 'PUT', url: '/api/v1/bonuses/settings?team=sales', payload: settings });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('splits a won deal between originator, control points and closer to the kopeck, with the rule in words, by scope', async () => {
    const over = await w.t.request({ method: 'PUT', url: '/api/v1/bonuses/settings?team=sales', payload: { originatorSharePercent: 60, controlPointWeights: { presentation: 30, proposal: 0, contract: 10.01 }, bonusRatePercent: null } });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ code: 'LR_ERR_VALIDATION', details: [{ code: 'shares_exceed_100' }] });
    expect(over.json().error.message).toContain('100.01%');
    await setSales({ originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 0, contract: 10 }, bonusRatePercent: 10 });

    const dealId = await handedOverDeal(100000.01);
    // Carl (insurance) wins a deal alone; Anna wins one without an amount.
    const carl = await w.as('carl');
    const carlsLead = await w.lead('carl');
    const carlsDeal = (await carl.request({ method: 'POST', url: `/api/v1/leads/${carlsLead}/convert`, payload: { deal: { title: 'Страховка', amount: 5000, currency: 'RUB' } } })).json().deal.id as string;
    await carl.request({ method: 'PATCH', url: `/api/v1/deals/${carlsDeal}`, payload: { closed: 'won' } });
    const anna = await w.as('anna');
    const bare = await w.lead('anna');
    const bareDeal = (await anna.request({ method: 'POST', url: `/api/v1/leads/${bare}/convert`, payload: { deal: { title: 'Без суммы' } } })).json().deal.id as string;
    await anna.request({ method: 'PATCH', url: `/api/v1/deals/${bareDeal}`, payload: { closed: 'won' } });

    const all = await report(null, 'period=2026-11');
    const ofDeal = linesOf(all).filter((l) => l.dealId === dealId);
    // 10 000 001 kopecks: 20% 2 000 000.2, 5% 500 000.05, 10% 1 000 000.1, 65% 6 500 000.65 → the spare kopeck to the closer.
    expect(ofDeal.map(brief).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { managerId: 'ivan', role: 'closer', amountMinor: 6_500_001, bonusMinor: 650_000, adjustment: false },
      { managerId: 'ivan', role: 'controlPoint:contract', amountMinor: 1_000_000, bonusMinor: 100_000, adjustment: false },
      { managerId: 'anna', role: 'controlPoint:presentation', amountMinor: 500_000, bonusMinor: 50_000, adjustment: false },
      { managerId: 'anna', role: 'originator', amountMinor: 2_000_000, bonusMinor: 200_000, adjustment: false },
    ]);
    expect(ofDeal.reduce((s, l) => s + (l.amountMinor ?? 0), 0)).toBe(10_000_001);
    expect(ofDeal.find((l) => l.role === 'originator')?.rule).toBe('20% — доля за привлечение, команда Sales');
    expect(linesOf(all).filter((l) => l.dealId === bareDeal).map(brief)).toEqual([{ managerId: 'anna', role: 'closer', amountMinor: null, bonusMinor: null, adjustment: false }]);
    expect(linesOf(all).filter((l) => l.dealId === carlsDeal).map(brief)).toEqual([{ managerId: 'carl', role: 'closer', amountMinor: 500_000, bonusMinor: null, adjustment: false }]);
    expect(all.totals).toEqual([{ currency: 'RUB', creditedMinor: 10_500_001, bonusMinor: 1_000_000 }]);

    const head = await w.as('head');
    const ofHead = await report(head, 'period=2026-11');
    expect(ofHead.managers.map((m) => m.managerId)).toEqual(['anna', 'ivan']);
    expect(ofHead.managers.find((m) => m.managerId === 'anna')?.totals).toEqual([{ currency: 'RUB', creditedMinor: 2_500_000, bonusMinor: 250_000 }]);
    expect((await head.request({ method: 'GET', url: '/api/v1/bonuses?period=2026-11&team=insurance' })).statusCode).toBe(403);

    const ofAnna = await report(anna, 'period=2026-11');
    expect(ofAnna.managers.map((m) => m.managerId)).toEqual(['anna']);
    expect(linesOf(ofAnna).map((l) => l.role).sort()).toEqual(['closer', 'controlPoint:presentation', 'originator']);
    expect((await anna.request({ method: 'GET', url: '/api/v1/bonuses?period=2026-11&manager=ivan' })).statusCode).toBe(403);
    // The current month by default.
    expect((await report(anna, '')).period).toBe('2026-11');
    for (const period of ['2026-13', '0001-01', '9999-12', 'now']) {
      const bad = await anna.request({ method: 'GET', url: `/api/v1/bonuses?period=${period}` });
      expect(bad.statusCode, period).toBe(400);
      expect(bad.json().error.details[0].code).toBe('invalid_period');
    }
    const unknownTeam = await w.t.request({ method: 'GET', url: '/api/v1/bonuses/settings?team=nope' });
    expect([unknownTeam.statusCode, unknownTeam.json().error.details[0].code]).toEqual([400, 'unknown_team']);
    const tooPrecise = await w.t.request({ method: 'PUT', url: '/api/v1/bonuses/settings?team=sales', payload: { originatorSharePercent: 12.345, controlPointWeights: { presentation: 0, proposal: 0, contract: 0 }, bonusRatePercent: null } });
    expect(tooPrecise.statusCode).toBe(400);

    expect((await head.request({ method: 'GET', url: '/api/v1/bonuses/settings' })).json()).toMatchObject({ teamId: 'sales', originatorSharePercent: 20, bonusRatePercent: 10, inherited: false });
    const audit = await w.t.store.db.selectFrom('audit_log').select('action').where('action', '=', 'bonus_settings.changed').execute();
    expect(audit).toHaveLength(1);
  });

  it('a closed period stays as frozen; later edits come as adjustments in the next open month, once', async () => {
    await setSales({ originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 0, contract: 10 }, bonusRatePercent: null });
    const dealId = await handedOverDeal(100000.01);
    let head = await w.as('head');
    // Sessions lapse as the clock jumps a month: a head signs in again (the admin works with a key).
    const signInAgain = async () => {
      head = await w.t.signIn(PEOPLE.head);
    };

    const early = await head.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-11/close', payload: {} });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('not over');

    w.clock.now = new Date('2026-12-02T09:00:00.000Z');
    await signInAgain();
    const closed = await head.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-11/close', payload: {} });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().teams[0]).toMatchObject({ teamId: 'sales', closed: { closedAt: '2026-12-02T09:00:00.000Z' } });
    const before = linesOf(await report(head, 'period=2026-11')).map(brief);
    expect(before.reduce((s, l) => s + (l.amountMinor ?? 0), 0)).toBe(10_000_001);
    const again = await head.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-11/close', payload: {} });
    expect(again.statusCode).toBe(409);

    // The amount doubles and the settings change: the closed month does not move; the difference comes in December.
    expect((await w.t.request({ method: 'PATCH', url: `/api/v1/deals/${dealId}`, payload: { amount: 200000 } })).statusCode).toBe(200);
    await setSales({ originatorSharePercent: 50, controlPointWeights: { presentation: 0, proposal: 0, contract: 0 }, bonusRatePercent: null });
    expect(linesOf(await report(head, 'period=2026-11')).map(brief)).toEqual(before);
    const december = await report(head, 'period=2026-12');
    const adjustments = linesOf(december);
    expect(adjustments.every((l) => l.adjustment && l.adjustsPeriod === '2026-11' && l.dealId === dealId)).toBe(true);
    expect(adjustments.map(brief).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { managerId: 'ivan', role: 'closer', amountMinor: 6_499_999, bonusMinor: null, adjustment: true },
      { managerId: 'ivan', role: 'controlPoint:contract', amountMinor: 1_000_000, bonusMinor: null, adjustment: true },
      { managerId: 'anna', role: 'controlPoint:presentation', amountMinor: 500_000, bonusMinor: null, adjustment: true },
      { managerId: 'anna', role: 'originator', amountMinor: 2_000_000, bonusMinor: null, adjustment: true },
    ]);
    expect(adjustments.find((l) => l.role === 'originator')?.rule).toBe('корректировка за 2026-11: 20% — доля за привлечение, команда Sales');

    // December closes twice at once (two requests, two connections on PostgreSQL): one wins, the other is told it is closed.
    w.clock.now = new Date('2027-01-03T09:00:00.000Z');
    await signInAgain();
    const admin = w.t;
    const both = await Promise.all([
      head.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-12/close', payload: {} }),
      admin.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-12/close', payload: { teamId: 'sales' } }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(linesOf(await report(head, 'period=2026-12')).map(brief)).toEqual(adjustments.map(brief));
    // Nothing counts twice: January has no adjustment, and Nov + Dec add up to the new value.
    expect(linesOf(await report(head, 'period=2027-01'))).toEqual([]);
    const frozen = await w.t.store.db.selectFrom('bonus_lines').select(['amount_minor']).where('deal_id', '=', dealId).execute();
    expect(frozen.reduce((s, r) => s + Number(r.amount_minor), 0)).toBe(20_000_000);
    const audit = await w.t.store.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'bonus_period.closed').orderBy('at').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(['sales:2026-11', 'sales:2026-12']);

    // A manager may not close; an admin must name the team.
    expect((await (await w.as('carl')).request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-10/close', payload: {} })).statusCode).toBe(403);
    expect((await admin.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-10/close', payload: {} })).json().error.details[0].code).toBe('team_required');
  });

  it('a corrected originator after the close moves the share in the next month, summing to nothing', async () => {
    await setSales({ originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 0, contract: 10 }, bonusRatePercent: null });
    const dealId = await handedOverDeal(100000.01);
    w.clock.now = new Date('2026-12-02T09:00:00.000Z');
    const head = await w.t.signIn(PEOPLE.head);
    expect((await head.request({ method: 'POST', url: '/api/v1/bonuses/periods/2026-11/close', payload: {} })).statusCode).toBe(200);
    // It was Ivan's own client after all: the originator is the closer, so no originator share.
    const fixed = await head.request({ method: 'PUT', url: `/api/v1/deals/${dealId}/originator`, payload: { managerId: 'ivan', reason: 'Клиент Ивана' } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const december = linesOf(await report(head, 'period=2026-12'));
    expect(december.map(brief).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { managerId: 'ivan', role: 'closer', amountMinor: 2_000_000, bonusMinor: null, adjustment: true },
      { managerId: 'anna', role: 'originator', amountMinor: -2_000_000, bonusMinor: null, adjustment: true },
    ]);
    // The closer's line keeps the share that applies now (85%).
    expect(december.find((l) => l.role === 'closer')?.shareBp).toBe(8500);
  });

  it('exports the month for payroll as XLSX and CSV with the totals', async () => {
    await setSales({ originatorSharePercent: 20, controlPointWeights: { presentation: 5, proposal: 0, contract: 10 }, bonusRatePercent: 10 });
    await handedOverDeal(100000.01);
    const head = await w.as('head');
    const res = await head.request({ method: 'GET', url: '/api/v1/bonuses?period=2026-11&format=xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('bonuses-sales-2026-11.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('Бонусы 2026-11');
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['Менеджер', 'Команда', 'Сделка', 'Лид', 'Роль', 'Доля, %', 'Начислено', 'Валюта', 'Бонус', 'Корректировка за', 'Правило']);
    const body = rows.slice(1).filter((r) => !String(r[0]).startsWith('Итого'));
    expect(body).toHaveLength(4);
    expect(body.reduce((s: number, r) => s + Number(r[6]), 0)).toBeCloseTo(100000.01, 2);
    const grand = rows.find((r) => r[0] === 'Итого по всем') as unknown[];
    expect([grand[6], grand[7], grand[8]]).toEqual([100000.01, 'RUB', 10000]);
    expect(rows.find((r) => r[0] === 'Итого: Anna')?.[6]).toBe(25000);

    const csv = await head.request({ method: 'GET', url: '/api/v1/bonuses?period=2026-11&format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFМенеджер,')).toBe(true);
    expect(csv.body).toContain('Итого по всем,,,,,,100000.01,RUB,10000');
  });
});

describe('closing a month from two processes on one PostgreSQL', () => {
  it('exactly one close wins; the others are told the month is closed (409), never a 500', async () => {
    const shared = await freshSharedStore('postgres');
    // A second pool on the same database: what another leadrouter process holds.
    const other = openStore(shared.target);
    try {
      const now = () => new Date('2026-12-02T09:00:00.000Z');
      const config = { defaultCountry: 'RU', intakeMaxBatch: 500 };
      const a = createAppContext(shared.store, config, { now });
      const b = createAppContext(other, config, { now });
      await insertTeam(shared.store.db, { id: 'sales', name: 'Sales' }, now().toISOString());
      const attempts = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => closeBonusPeriod(i % 2 === 0 ? a : b, SYSTEM('test'), '2026-11', 'sales')));
      expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of attempts) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'LR_ERR_CONFLICT', status: 409 });
      expect(await shared.store.db.selectFrom('bonus_periods').selectAll().execute()).toHaveLength(1);
    } finally {
      await other.close();
      await shared.store.close();
      shared.dispose();
    }
  });
});
