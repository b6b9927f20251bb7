import { DateTime } from 'luxon';
import { CONTROL_POINTS, type ControlPoint, type ControlPointKey } from '../lifecycle/deals.js';
import { bonusAt, splitBonus, splitShares, toMinorUnits, type BonusRole } from './bonus-split.js';

/**
 * A won deal's bonus lines and the corrections of a frozen one (docs/motivation.md, "Bonus").
 * Pure: the deal, the terms it was won under and the names are passed in.
 */
export interface BonusDeal {
  id: string;
  leadId: string;
  title: string;
  amount: number | null;
  currency: string | null;
  originatorId: string | null;
  ownerId: string | null;
  controlPoints: ControlPoint[];
  closedAt: string;
}

export interface DealTerms {
  originatorShareBp: number;
  controlPointWeightsBp: Record<ControlPointKey, number>;
  rateBp: number | null;
}

export interface BonusLine {
  teamId: string | null;
  teamName: string;
  /** The month the line is counted in. */
  period: string;
  dealId: string;
  leadId: string;
  dealTitle: string;
  managerId: string | null;
  role: BonusRole;
  shareBp: number;
  /** null: the deal was won without an amount (listed, credits nothing). */
  amountMinor: number | null;
  currency: string | null;
  rateBp: number | null;
  bonusMinor: number | null;
  adjustment: boolean;
  /** For an adjustment: the closed period whose deal it corrects. */
  adjustsPeriod: string | null;
  wonAt: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month YYYY-MM between 1900-01 and 9998-12 (its bounds in any zone stay within what both databases store). */
export function isMonth(period: string): boolean {
  const m = MONTH.exec(period);
  return m !== null && Number(m[1]) >= 1900 && Number(m[1]) <= 9998;
}

/** The month's bounds in the zone: [from, to) as ISO UTC instants. */
export function monthBounds(period: string, zone: string): { from: string; to: string; fromMs: number; toMs: number } {
  const start = DateTime.fromFormat(period, 'yyyy-MM', { zone }).startOf('month');
  const end = start.plus({ months: 1 });
  return { from: new Date(start.toMillis()).toISOString(), to: new Date(end.toMillis()).toISOString(), fromMs: start.toMillis(), toMs: end.toMillis() };
}

export function monthOf(instant: string | number, zone: string): string {
  return DateTime.fromMillis(typeof instant === 'number' ? instant : Date.parse(instant), { zone }).toFormat('yyyy-MM');
}

export function nextMonth(period: string): string {
  return DateTime.fromFormat(period, 'yyyy-MM', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');
}

/** The first month after `period` that is not closed: where corrections of its deals go. */
export function firstOpenAfter(period: string, closed: ReadonlySet<string>): string {
  let p = nextMonth(period);
  while (closed.has(p)) p = nextMonth(p);
  return p;
}

/** The deal's lines: one per role with a share above 0 % (the closer's share is what the others leave). */
export function dealLines(deal: BonusDeal, terms: DealTerms, team: { id: string | null; name: string; zone: string }): BonusLine[] {
  const controlPointsBy: Partial<Record<ControlPointKey, string | null>> = {};
  for (const key of CONTROL_POINTS) {
    const p = deal.controlPoints.find((c) => c.key === key);
    controlPointsBy[key] = p?.at ? p.by : null;
  }
  const split = { closerId: deal.ownerId, originatorId: deal.originatorId, controlPointsBy, terms };
  const minor = deal.amount === null ? null : toMinorUnits(deal.amount);
  const parts = minor === null ? splitShares(split).map((s) => ({ ...s, amount: null as number | null })) : splitBonus({ ...split, amount: minor });
  const period = monthOf(deal.closedAt, team.zone);
  return parts
    .filter((p) => p.shareBp > 0)
    .map((p) => ({
      teamId: team.id,
      teamName: team.name,
      period,
      dealId: deal.id,
      leadId: deal.leadId,
      dealTitle: deal.title,
      managerId: p.managerId,
      role: p.role,
      shareBp: p.shareBp,
      amountMinor: p.amount,
      currency: deal.currency,
      rateBp: terms.rateBp,
      bonusMinor: terms.rateBp === null || p.amount === null ? null : bonusAt(p.amount, terms.rateBp),
      adjustment: false,
      adjustsPeriod: null,
      wonAt: deal.closedAt,
    }));
}

/** What a line contributes to the comparison of a deal's figures: who, for what, in which currency. */
const keyOf = (l: { managerId: string | null; role: string; currency: string | null }): string => JSON.stringify([l.managerId, l.role, l.currency]);

/**
 * The corrections that make what was frozen for a deal (its lines and earlier adjustments)
 * equal what it earns now: per manager, role and currency, recomputed minus frozen, where the
 * credited amount or the bonus differs. Counted in `period` (the first open one after the deal's).
 */
export function adjustmentLines(
  now: BonusLine[],
  frozen: ReadonlyArray<{ managerId: string | null; role: string; currency: string | null; amountMinor: number | null; bonusMinor: number | null }>,
  context: { period: string; adjustsPeriod: string; teamId: string | null; teamName: string; deal: BonusDeal; rateBp: number | null },
): BonusLine[] {
  const sums = new Map<string, { managerId: string | null; role: string; currency: string | null; amount: number; bonus: number; anyBonus: boolean; shareBp: number }>();
  const touch = (l: { managerId: string | null; role: string; currency: string | null }) => {
    const k = keyOf(l);
    let s = sums.get(k);
    if (!s) {
      s = { managerId: l.managerId, role: l.role, currency: l.currency, amount: 0, bonus: 0, anyBonus: false, shareBp: 0 };
      sums.set(k, s);
    }
    return s;
  };
  for (const l of now) {
    const s = touch(l);
    s.amount += l.amountMinor ?? 0;
    s.bonus += l.bonusMinor ?? 0;
    s.anyBonus ||= l.bonusMinor !== null;
    s.shareBp = l.shareBp;
  }
  for (const l of frozen) {
    const s = touch(l);
    s.amount -= l.amountMinor ?? 0;
    s.bonus -= l.bonusMinor ?? 0;
    s.anyBonus ||= l.bonusMinor !== null;
  }
  const out: BonusLine[] = [];
  for (const s of sums.values()) {
    if (s.amount === 0 && s.bonus === 0) continue;
    out.push({
      teamId: context.teamId,
      teamName: context.teamName,
      period: context.period,
      dealId: context.deal.id,
      leadId: context.deal.leadId,
      dealTitle: context.deal.title,
      managerId: s.managerId,
      role: s.role as BonusRole,
      shareBp: s.shareBp,
      amountMinor: s.amount,
      currency: s.currency,
      rateBp: context.rateBp,
      bonusMinor: s.anyBonus ? s.bonus : null,
      adjustment: true,
      adjustsPeriod: context.adjustsPeriod,
      wonAt: context.deal.closedAt,
    });
  }
  return out;
}
