import type { Kysely } from 'kysely';
import type { DealRecord } from './deal-queries.js';
import { findDealsByIds, wonDealsClosedBetween } from './deal-queries.js';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

/** The team's bonus settings in basis points, as fixed on a deal when it was won. */
export interface StoredTerms {
  originatorShareBp: number;
  controlPointWeightsBp: { presentation: number; proposal: number; contract: number };
  /** null: the report shows credited value only. */
  rateBp: number | null;
}

export interface TermsRecord {
  dealId: string;
  closerId: string | null;
  teamId: string | null;
  terms: StoredTerms;
  wonAt: string;
}

export interface PeriodRecord {
  teamId: string;
  period: string;
  closedAt: string;
  closedBy: string;
  closedByName: string;
}

export interface FrozenLine {
  id: string;
  teamId: string;
  period: string;
  dealId: string;
  leadId: string;
  dealTitle: string;
  managerId: string | null;
  managerName: string | null;
  role: string;
  shareBp: number;
  amountMinor: number | null;
  currency: string | null;
  rateBp: number | null;
  bonusMinor: number | null;
  adjustment: boolean;
  adjustsPeriod: string | null;
  teamName: string;
  wonAt: string;
}

export async function insertTerms(db: Kysely<Database>, t: TermsRecord): Promise<void> {
  await db
    .insertInto('bonus_terms')
    .values({ deal_id: t.dealId, closer_id: t.closerId, team_id: t.teamId, terms: writeJson(t.terms), won_at: t.wonAt })
    .onConflict((oc) => oc.column('deal_id').doNothing())
    .execute();
}

export async function termsOfDeals(db: Kysely<Database>, dealIds: string[]): Promise<Map<string, TermsRecord>> {
  const out = new Map<string, TermsRecord>();
  for (let i = 0; i < dealIds.length; i += 500) {
    const rows = await db.selectFrom('bonus_terms').selectAll().where('deal_id', 'in', dealIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.deal_id, { dealId: r.deal_id, closerId: r.closer_id, teamId: r.team_id, terms: readJson<StoredTerms>(r.terms, { originatorShareBp: 0, controlPointWeightsBp: { presentation: 0, proposal: 0, contract: 0 }, rateBp: null }), wonAt: r.won_at });
  }
  return out;
}

/** Deals won in [from, to) (ISO instants), oldest first. */
export async function wonDealsBetween(db: Kysely<Database>, from: string, to: string): Promise<DealRecord[]> {
  return await wonDealsClosedBetween(db, from, to);
}

export async function dealsByIds(db: Kysely<Database>, ids: string[]): Promise<DealRecord[]> {
  return ids.length === 0 ? [] : await findDealsByIds(db, ids);
}

export async function closedPeriods(db: Kysely<Database>, teamIds: string[]): Promise<PeriodRecord[]> {
  if (teamIds.length === 0) return [];
  const rows = await db.selectFrom('bonus_periods').selectAll().where('team_id', 'in', teamIds).orderBy('period').execute();
  return rows.map((r) => ({ teamId: r.team_id, period: r.period, closedAt: r.closed_at, closedBy: r.closed_by, closedByName: r.closed_by_name }));
}

/** Fails with a unique violation when the team's period is closed already (by anyone, in any process). */
export async function insertClosedPeriod(db: Kysely<Database>, p: PeriodRecord): Promise<void> {
  await db.insertInto('bonus_periods').values({ team_id: p.teamId, period: p.period, closed_at: p.closedAt, closed_by: p.closedBy, closed_by_name: p.closedByName }).execute();
}

function lineFromRow(r: { [K in keyof Database['bonus_lines']]: Database['bonus_lines'][K] }): FrozenLine {
  return {
    id: r.id, teamId: r.team_id, period: r.period, dealId: r.deal_id, leadId: r.lead_id, dealTitle: r.deal_title, managerId: r.manager_id, managerName: r.manager_name,
    role: r.role, shareBp: Number(r.share_bp), amountMinor: r.amount_minor === null ? null : Number(r.amount_minor), currency: r.currency,
    rateBp: r.rate_bp === null ? null : Number(r.rate_bp), bonusMinor: r.bonus_minor === null ? null : Number(r.bonus_minor), adjustment: Number(r.adjustment) === 1,
    adjustsPeriod: r.adjusts_period, teamName: r.team_name, wonAt: r.won_at,
  };
}

/** A team's frozen lines: of one period, or (period undefined) of every period. */
export async function frozenLines(db: Kysely<Database>, teamId: string, period?: string): Promise<FrozenLine[]> {
  let q = db.selectFrom('bonus_lines').selectAll().where('team_id', '=', teamId);
  if (period !== undefined) q = q.where('period', '=', period);
  const rows = await q.orderBy('won_at').orderBy('deal_id').orderBy('id').execute();
  return rows.map(lineFromRow);
}

export async function insertFrozenLines(db: Kysely<Database>, lines: FrozenLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 200) {
    const chunk = lines.slice(i, i + 200);
    await db
      .insertInto('bonus_lines')
      .values(
        chunk.map((l) => ({
          id: l.id, team_id: l.teamId, period: l.period, deal_id: l.dealId, lead_id: l.leadId, deal_title: l.dealTitle, manager_id: l.managerId, manager_name: l.managerName,
          role: l.role, share_bp: l.shareBp, amount_minor: l.amountMinor, currency: l.currency, rate_bp: l.rateBp, bonus_minor: l.bonusMinor,
          adjustment: l.adjustment ? 1 : 0, adjusts_period: l.adjustsPeriod, team_name: l.teamName, won_at: l.wonAt,
        })),
      )
      .execute();
  }
}
