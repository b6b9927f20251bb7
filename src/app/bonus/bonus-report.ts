import type { Kysely } from 'kysely';
import { adjustmentLines, dealLines, firstOpenAfter, isMonth, monthBounds, monthOf, type BonusDeal, type BonusLine, type DealTerms } from '../../core/motivation/bonus-lines.js';
import { BONUS_ROLES, type BonusRole } from '../../core/motivation/bonus-split.js';
import {
  closedPeriods,
  dealsByIds,
  frozenLines,
  insertClosedPeriod,
  insertFrozenLines,
  insertTerms,
  termsOfDeals,
  wonDealsBetween,
  type FrozenLine,
  type PeriodRecord,
  type StoredTerms,
  type TermsRecord,
} from '../../store/bonus-queries.js';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import type { DealRecord } from '../../store/deal-queries.js';
import { reportManagers, reportTeams } from '../../store/report-queries.js';
import type { Database } from '../../store/schema.js';
import { findUserById } from '../../store/user-queries.js';
import { hasScope } from '../api-keys.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { findSetting } from '../../store/pool-queries.js';
import { readJson } from '../../store/json.js';
import { DEFAULT_REPORT_SETTINGS, REPORT_SETTINGS_KEY, type ReportSettings } from '../reports/report-settings.js';
import { bonusSettingsOf, termsOf } from './bonus-settings.js';

/**
 * The bonus report (docs/motivation.md, "Bonus"): per manager, each won deal that credited them
 * something in a month (the month in the deal's team's zone), with the rule that applied; a
 * team's month can be closed, which freezes its lines; later corrections of its deals come
 * as adjustments in the first open month after it.
 */
export type BonusScope = { kind: 'all' } | { kind: 'team'; teamId: string } | { kind: 'self'; managerId: string };

interface TeamInfo {
  /** null: deals whose closer has no team (company zone; such a month cannot be closed). */
  id: string | null;
  name: string;
  zone: string;
}

interface World {
  db: Kysely<Database>;
  teams: Map<string, TeamInfo>;
  noTeam: TeamInfo;
  managers: Map<string, { name: string; teamId: string | null }>;
}

export interface ReportLine extends BonusLine {
  managerName: string | null;
  /** The rule in words; an adjustment's says which month it corrects. */
  rule: string;
  /** The share's rule alone (for an adjustment: without the month it corrects). */
  basis: string;
}

export interface TeamPeriod {
  teamId: string | null;
  teamName: string;
  timeZone: string;
  from: string;
  to: string;
  closed: { closedAt: string; closedBy: string } | null;
}

export interface CurrencyTotal {
  currency: string | null;
  creditedMinor: number;
  bonusMinor: number | null;
}

export interface BonusReport {
  period: string;
  scope: { kind: BonusScope['kind']; teamId: string | null; managerId: string | null };
  filters: { team: string | null; manager: string | null };
  teams: TeamPeriod[];
  managers: Array<{ managerId: string | null; name: string | null; teamId: string | null; self: boolean; totals: CurrencyTotal[]; lines: ReportLine[] }>;
  totals: CurrencyTotal[];
}

function refuse(message: string): never {
  throw new LeadRouterError('LR_ERR_FORBIDDEN', message);
}

function invalid(path: string, code: string, message: string): never {
  throw new LeadRouterError('LR_ERR_VALIDATION', `${path}: ${message}`, [{ path, code, message }]);
}

export function bonusScopeOf(principal: Principal): BonusScope {
  if (principal.kind === 'user' && !isAdmin(principal)) {
    if (principal.role === 'head') {
      if (!principal.teamId) refuse('A head without a team has no bonus figures to read');
      return { kind: 'team', teamId: principal.teamId };
    }
    if (principal.role === 'manager') {
      if (!principal.managerId) refuse('The bonus report shows a manager their own lines; this person has no routing profile');
      return { kind: 'self', managerId: principal.managerId };
    }
    refuse(`The role ${principal.role} has no bonus report`);
  }
  if (principal.kind === 'api-key' && !hasScope(principal.key, 'leads:manage') && !hasScope(principal.key, 'admin')) refuse('The bonus report over the API needs a key with leads:manage');
  return { kind: 'all' };
}

async function worldOf(db: Kysely<Database>): Promise<World> {
  // Read through `db` (maybe a transaction): on SQLite the store's one connection is held by it.
  const settings: ReportSettings = { ...DEFAULT_REPORT_SETTINGS, ...readJson<Partial<ReportSettings>>(await findSetting(db, REPORT_SETTINGS_KEY), {}) };
  const teamRows = await reportTeams(db);
  const managerRows = await reportManagers(db);
  return {
    db,
    teams: new Map(teamRows.map((t) => [t.id, { id: t.id, name: t.name, zone: t.timeZone || settings.timeZone }])),
    noTeam: { id: null, name: '', zone: settings.timeZone },
    managers: new Map(managerRows.map((m) => [m.id, { name: m.name, teamId: m.teamId }])),
  };
}

function bonusDeal(d: DealRecord): BonusDeal {
  return { id: d.id, leadId: d.leadId, title: d.title, amount: d.amount, currency: d.currency, originatorId: d.originatorId, ownerId: d.ownerId, controlPoints: d.controlPoints, closedAt: d.closedAt ?? d.updatedAt };
}

/** The terms a deal was won under; a deal won before they were recorded: its closer's team and that team's settings now. */
async function effectiveTerms(w: World, deal: DealRecord, recorded: TermsRecord | undefined): Promise<{ teamId: string | null; terms: StoredTerms }> {
  if (recorded) return { teamId: recorded.teamId, terms: recorded.terms };
  const teamId = deal.ownerId ? (w.managers.get(deal.ownerId)?.teamId ?? null) : null;
  return { teamId, terms: termsOf(await bonusSettingsOf(w.db, teamId)) };
}

const asDealTerms = (t: StoredTerms): DealTerms => ({ originatorShareBp: t.originatorShareBp, controlPointWeightsBp: t.controlPointWeightsBp, rateBp: t.rateBp });

/** Lines of deals won in the team's month, computed from the deals as they are now. */
async function liveLines(w: World, team: TeamInfo, period: string): Promise<{ lines: BonusLine[]; unpinned: TermsRecord[] }> {
  const { from, to } = monthBounds(period, team.zone);
  const deals = await wonDealsBetween(w.db, from, to);
  const recorded = await termsOfDeals(w.db, deals.map((d) => d.id));
  const lines: BonusLine[] = [];
  const unpinned: TermsRecord[] = [];
  for (const deal of deals) {
    const own = recorded.get(deal.id);
    const { teamId, terms } = await effectiveTerms(w, deal, own);
    if (teamId !== team.id) continue;
    if (!own) unpinned.push({ dealId: deal.id, closerId: deal.ownerId, teamId, terms, wonAt: deal.closedAt ?? deal.updatedAt });
    lines.push(...dealLines(bonusDeal(deal), asDealTerms(terms), team));
  }
  return { lines, unpinned };
}

/** Corrections of deals of the team's closed months whose first open month after theirs is this one. */
async function adjustmentsFor(w: World, team: TeamInfo, period: string, closed: ReadonlySet<string>): Promise<BonusLine[]> {
  if (team.id === null) return [];
  const frozen = await frozenLines(w.db, team.id);
  const byDeal = new Map<string, FrozenLine[]>();
  for (const l of frozen) {
    const list = byDeal.get(l.dealId) ?? [];
    list.push(l);
    byDeal.set(l.dealId, list);
  }
  const due: Array<{ dealId: string; dealPeriod: string }> = [];
  for (const [dealId, lines] of byDeal) {
    const dealPeriod = (lines.find((l) => !l.adjustment) ?? (lines[0] as FrozenLine)).period;
    if (dealPeriod < period && firstOpenAfter(dealPeriod, closed) === period) due.push({ dealId, dealPeriod });
  }
  if (due.length === 0) return [];
  const deals = new Map((await dealsByIds(w.db, due.map((d) => d.dealId))).map((d) => [d.id, d]));
  const recorded = await termsOfDeals(w.db, due.map((d) => d.dealId));
  const out: BonusLine[] = [];
  for (const { dealId, dealPeriod } of due) {
    const deal = deals.get(dealId);
    const terms = recorded.get(dealId);
    // A deal stays won (a closed deal does not reopen); if it is gone, what was frozen stands.
    if (!deal || deal.stage !== 'won' || !terms) continue;
    const now = dealLines(bonusDeal(deal), asDealTerms(terms.terms), team);
    out.push(...adjustmentLines(now, byDeal.get(dealId) ?? [], { period, adjustsPeriod: dealPeriod, teamId: team.id, teamName: team.name, deal: bonusDeal(deal), rateBp: terms.terms.rateBp }));
  }
  return out;
}

function fromFrozen(l: FrozenLine): BonusLine & { frozenName: string | null } {
  return {
    teamId: l.teamId, teamName: l.teamName, period: l.period, dealId: l.dealId, leadId: l.leadId, dealTitle: l.dealTitle, managerId: l.managerId, role: l.role as BonusRole,
    shareBp: l.shareBp, amountMinor: l.amountMinor, currency: l.currency, rateBp: l.rateBp, bonusMinor: l.bonusMinor, adjustment: l.adjustment, adjustsPeriod: l.adjustsPeriod, wonAt: l.wonAt,
    frozenName: l.managerName,
  };
}

/** A team's month: the frozen lines when it is closed, else the live lines and the adjustments due in it. */
async function teamMonth(w: World, team: TeamInfo, period: string, periods: PeriodRecord[]): Promise<{ lines: Array<BonusLine & { frozenName?: string | null }>; closed: PeriodRecord | null }> {
  const mine = periods.filter((p) => p.teamId === team.id);
  const closed = mine.find((p) => p.period === period) ?? null;
  if (closed && team.id !== null) return { lines: (await frozenLines(w.db, team.id, period)).map(fromFrozen), closed };
  const { lines } = await liveLines(w, team, period);
  return { lines: [...lines, ...(await adjustmentsFor(w, team, period, new Set(mine.map((p) => p.period))))], closed: null };
}

export type Locale = 'ru' | 'en';

const WORDS: Record<Locale, { role: Record<BonusRole, string>; team: string; adjustment: string; noAmount: string }> = {
  ru: {
    role: {
      originator: 'доля за привлечение',
      closer: 'закрытие сделки (остаток)',
      'controlPoint:presentation': 'контрольная точка «Презентация»',
      'controlPoint:proposal': 'контрольная точка «КП»',
      'controlPoint:contract': 'контрольная точка «Договор»',
    },
    team: 'команда',
    adjustment: 'корректировка за',
    noAmount: 'сделка без суммы',
  },
  en: {
    role: {
      originator: 'originator share',
      closer: 'closing the deal (the rest)',
      'controlPoint:presentation': 'control point "Presentation"',
      'controlPoint:proposal': 'control point "Proposal"',
      'controlPoint:contract': 'control point "Contract"',
    },
    team: 'team',
    adjustment: 'adjustment for',
    noAmount: 'no deal amount',
  },
};

export function percentText(bp: number, locale: Locale): string {
  const text = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
  return `${locale === 'ru' ? text.replace('.', ',') : text}%`;
}

/** The rule in words: "20% — доля за привлечение, команда Москва". */
export function ruleText(l: BonusLine, locale: Locale): string {
  const w = WORDS[locale];
  const parts = [`${percentText(l.shareBp, locale)} — ${w.role[l.role] ?? l.role}`];
  if (l.teamName) parts.push(`${w.team} ${l.teamName}`);
  let text = parts.join(', ');
  if (l.amountMinor === null) text += ` (${w.noAmount})`;
  if (l.adjustment && l.adjustsPeriod) text = `${w.adjustment} ${l.adjustsPeriod}: ${text}`;
  return text;
}

export async function localeOf(ctx: AppContext, principal: Principal): Promise<Locale> {
  if (principal.kind !== 'user') return 'ru';
  const user = await findUserById(ctx.store.db, principal.userId);
  return user?.locale === 'en' ? 'en' : 'ru';
}

function totalsOf(lines: BonusLine[]): CurrencyTotal[] {
  const by = new Map<string, CurrencyTotal>();
  for (const l of lines) {
    // A deal won without an amount is listed but adds nothing (and has no currency to add it in).
    if (l.amountMinor === null) continue;
    const key = l.currency ?? '';
    const t = by.get(key) ?? { currency: l.currency, creditedMinor: 0, bonusMinor: null };
    t.creditedMinor += l.amountMinor ?? 0;
    if (l.bonusMinor !== null) t.bonusMinor = (t.bonusMinor ?? 0) + l.bonusMinor;
    by.set(key, t);
  }
  return [...by.values()].sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''));
}

export interface BonusQuery {
  period?: string | undefined;
  team?: string | undefined;
  manager?: string | undefined;
}

export async function bonusReport(ctx: AppContext, principal: Principal, query: BonusQuery): Promise<BonusReport> {
  const scope = bonusScopeOf(principal);
  const w = await worldOf(ctx.store.db);
  const team = query.team ?? null;
  const manager = query.manager ?? null;
  if (team !== null && !w.teams.has(team)) invalid('team', 'unknown_team', `no team with id ${team}`);
  if (manager !== null && !w.managers.has(manager)) invalid('manager', 'unknown_manager', `no manager with id ${manager}`);
  if (scope.kind === 'team') {
    if (team !== null && team !== scope.teamId) refuse("A head reads the own team's bonuses");
    if (manager !== null && w.managers.get(manager)?.teamId !== scope.teamId) refuse("A head reads the own team's managers");
  }
  if (scope.kind === 'self' && manager !== null && manager !== scope.managerId) refuse('A manager reads the own bonus lines');

  // Which teams' months are read: the head's; the filtered one; else every team (and deals closed by people without one).
  let teams: TeamInfo[];
  if (scope.kind === 'team') teams = [w.teams.get(scope.teamId) ?? { id: scope.teamId, name: scope.teamId, zone: w.noTeam.zone }];
  else if (team !== null) teams = [w.teams.get(team) as TeamInfo];
  else teams = [...w.teams.values(), w.noTeam];

  const ownZone = scope.kind === 'team' ? teams[0]?.zone : scope.kind === 'self' ? w.teams.get(w.managers.get(scope.managerId)?.teamId ?? '')?.zone : team !== null ? teams[0]?.zone : undefined;
  const period = query.period ?? monthOf(ctx.now().getTime(), ownZone ?? w.noTeam.zone);
  if (!isMonth(period)) invalid('period', 'invalid_period', `"${period}" is not a month; use YYYY-MM between 1900-01 and 9998-12`);

  const periods = await closedPeriods(w.db, teams.flatMap((t) => (t.id === null ? [] : [t.id])));
  const locale = await localeOf(ctx, principal);
  const teamPeriods: TeamPeriod[] = [];
  let lines: Array<BonusLine & { frozenName?: string | null }> = [];
  for (const t of teams) {
    const month = await teamMonth(w, t, period, periods);
    if (t.id === null && month.lines.length === 0) continue;
    const { from, to } = monthBounds(period, t.zone);
    teamPeriods.push({ teamId: t.id, teamName: t.name, timeZone: t.zone, from, to, closed: month.closed ? { closedAt: month.closed.closedAt, closedBy: month.closed.closedByName } : null });
    lines.push(...month.lines);
  }
  if (scope.kind === 'self') lines = lines.filter((l) => l.managerId === scope.managerId);
  if (manager !== null) lines = lines.filter((l) => l.managerId === manager);

  const roleOrder = (r: string) => BONUS_ROLES.indexOf(r as BonusRole);
  lines.sort((a, b) => a.wonAt.localeCompare(b.wonAt) || a.dealId.localeCompare(b.dealId) || Number(a.adjustment) - Number(b.adjustment) || roleOrder(a.role) - roleOrder(b.role));
  const byManager = new Map<string, ReportLine[]>();
  for (const l of lines) {
    const name = (l.managerId ? w.managers.get(l.managerId)?.name : undefined) ?? l.frozenName ?? l.managerId;
    const { frozenName: _frozen, ...line } = l;
    const list = byManager.get(l.managerId ?? '') ?? [];
    list.push({ ...line, managerName: name, rule: ruleText(line, locale), basis: ruleText({ ...line, adjustment: false }, locale) });
    byManager.set(l.managerId ?? '', list);
  }
  const managers = [...byManager.values()].map((ls) => {
    const first = ls[0] as ReportLine;
    return {
      managerId: first.managerId,
      name: first.managerName,
      teamId: first.managerId ? (w.managers.get(first.managerId)?.teamId ?? null) : null,
      self: scope.kind === 'self' && first.managerId === scope.managerId,
      totals: totalsOf(ls),
      lines: ls,
    };
  });
  managers.sort((a, b) => (a.managerId === null ? 1 : 0) - (b.managerId === null ? 1 : 0) || (a.name ?? '').localeCompare(b.name ?? '', 'ru'));
  return {
    period,
    scope: { kind: scope.kind, teamId: scope.kind === 'team' ? scope.teamId : null, managerId: scope.kind === 'self' ? scope.managerId : null },
    filters: { team, manager },
    teams: teamPeriods,
    managers,
    totals: totalsOf(lines),
  };
}

function actorDisplayName(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return principal.name;
    case 'api-key':
      return principal.key.name;
    case 'system':
      return principal.name;
  }
}

/**
 * Closes a team's month: from now on its report reads the lines frozen here (adjustments due in
 * it included). Only a month that is over; a head for the own team, an admin for any. The
 * period row goes in first: a second close, in this process or another, fails on its key (409).
 */
export async function closeBonusPeriod(ctx: AppContext, principal: Principal, period: string, teamId: string | undefined): Promise<BonusReport> {
  if (!isMonth(period)) invalid('period', 'invalid_period', `"${period}" is not a month; use YYYY-MM between 1900-01 and 9998-12`);
  const scope = bonusScopeOf(principal);
  if (scope.kind === 'self') refuse("A bonus period is closed by the team's head or an admin");
  let team: string;
  if (scope.kind === 'team') {
    if (teamId !== undefined && teamId !== scope.teamId) refuse("A head closes the own team's bonus period only");
    team = scope.teamId;
  } else {
    if (teamId === undefined) invalid('teamId', 'team_required', 'name the team whose period to close');
    team = teamId;
  }
  const at = ctx.now();
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      const w = await worldOf(trx);
      const info = w.teams.get(team);
      if (!info) invalid('teamId', 'unknown_team', `no team with id ${team}`);
      const { toMs } = monthBounds(period, info.zone);
      if (at.getTime() < toMs) throw new LeadRouterError('LR_ERR_CONFLICT', `${period} is not over yet in ${info.zone}; a month is closed once it has ended`);
      const earlier = (await closedPeriods(trx, [team])).map((p) => p.period);
      await insertClosedPeriod(trx, { teamId: team, period, closedAt: at.toISOString(), closedBy: actorName(principal), closedByName: actorDisplayName(principal) });
      const { lines, unpinned } = await liveLines(w, info, period);
      const adjustments = await adjustmentsFor(w, info, period, new Set(earlier));
      // Deals won before terms were recorded keep, from now on, the team and settings they were frozen with.
      for (const t of unpinned) await insertTerms(trx, t);
      const frozen: FrozenLine[] = [...lines, ...adjustments].map((l) => ({
        id: ctx.newId(), teamId: team, period, dealId: l.dealId, leadId: l.leadId, dealTitle: l.dealTitle, managerId: l.managerId,
        managerName: l.managerId ? (w.managers.get(l.managerId)?.name ?? null) : null, role: l.role, shareBp: l.shareBp, amountMinor: l.amountMinor, currency: l.currency,
        rateBp: l.rateBp, bonusMinor: l.bonusMinor, adjustment: l.adjustment, adjustsPeriod: l.adjustsPeriod, teamName: info.name, wonAt: l.wonAt,
      }));
      await insertFrozenLines(trx, frozen);
      await recordAudit(ctx, trx, principal, [
        { action: 'bonus_period.closed', entity: 'bonus_period', entityId: `${team}:${period}`, before: null, after: { teamId: team, period, lines: frozen.length, adjustments: adjustments.length, totals: totalsOf([...lines, ...adjustments]) } },
      ]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', `The bonus period ${period} of this team is closed already; a closed period stays closed`);
    throw error;
  }
  return await bonusReport(ctx, principal, { period, team: scope.kind === 'all' ? team : undefined });
}

/** Records, as a deal is won, the terms it is won under: the closer's team now and that team's bonus settings now. */
export async function recordBonusTerms(db: Kysely<Database>, deal: DealRecord, wonAt: string): Promise<void> {
  const row = deal.ownerId ? await db.selectFrom('managers').select('team_id').where('id', '=', deal.ownerId).executeTakeFirst() : undefined;
  const teamId = row?.team_id ?? null;
  await insertTerms(db, { dealId: deal.id, closerId: deal.ownerId, teamId, terms: termsOf(await bonusSettingsOf(db, teamId)), wonAt });
}
