import { DateTime } from 'luxon';

/**
 * The usual volume of a lead source, per hour of the week, and the tests that say when its
 * silence or its junk is unusual. Pure: the caller reads the counts and the clock.
 *
 * An hour of the week ("slot") is weekday × 24 + hour in the company's time zone, Monday 0:00
 * being slot 0. Counts come per UTC hour; a UTC hour belongs to the local slot its start falls
 * in (exact for every zone a whole number of hours from UTC).
 */
export const HOURS_PER_WEEK = 168;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function slotOf(instantMs: number, zone: string): number {
  const local = DateTime.fromMillis(instantMs, { zone });
  return (local.weekday - 1) * 24 + local.hour;
}

export function floorToHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * The slot of every UTC hour in [from, to), computed once (the zone conversion is the slow
 * part) and shared by every source of a check.
 */
export class HourGrid {
  private readonly start: number;
  private readonly slots: Uint8Array;

  constructor(
    fromMs: number,
    toMs: number,
    readonly zone: string,
  ) {
    this.start = floorToHour(fromMs);
    const hours = Math.max(0, Math.ceil((toMs - this.start) / HOUR_MS));
    this.slots = new Uint8Array(hours);
    for (let i = 0; i < hours; i++) this.slots[i] = slotOf(this.start + i * HOUR_MS, zone);
  }

  slotAt(ms: number): number {
    const i = Math.floor((ms - this.start) / HOUR_MS);
    return i >= 0 && i < this.slots.length ? (this.slots[i] as number) : slotOf(floorToHour(ms), this.zone);
  }
}

/** Leads (and of them, junk) a source sent in the UTC hour starting at `hourStart`. */
export interface HourCount {
  hourStart: number;
  leads: number;
  junk: number;
}

export interface UsualVolume {
  /** Expected leads per hour, by slot: leads seen in the slot ÷ times the slot occurred in the source's history. */
  perHour: number[];
  /** The hours of history the figures rest on (from the source's first lead in the window, or the window's start, to its end). */
  historyHours: number;
  leads: number;
  junk: number;
}

/**
 * The usual hourly volume of one source from its hourly counts over the window [from, to).
 * A source younger than the window is averaged over its own history only (from the local
 * midnight before its first lead), so a new source is not diluted by weeks it did not exist.
 */
export function usualVolume(counts: readonly HourCount[], window: { from: number; to: number }, grid: HourGrid): UsualVolume {
  const leadsBySlot = new Array<number>(HOURS_PER_WEEK).fill(0);
  let first = Number.POSITIVE_INFINITY;
  let leads = 0;
  let junk = 0;
  for (const c of counts) {
    if (c.hourStart < window.from || c.hourStart >= window.to) continue;
    const slot = grid.slotAt(c.hourStart);
    leadsBySlot[slot] = (leadsBySlot[slot] ?? 0) + c.leads;
    leads += c.leads;
    junk += c.junk;
    if (c.leads > 0 && c.hourStart < first) first = c.hourStart;
  }
  const perHour = new Array<number>(HOURS_PER_WEEK).fill(0);
  if (leads === 0) return { perHour, historyHours: 0, leads, junk };
  const start = Math.max(window.from, floorToHour(DateTime.fromMillis(first, { zone: grid.zone }).startOf('day').toMillis()));
  const occurrences = new Array<number>(HOURS_PER_WEEK).fill(0);
  let historyHours = 0;
  for (let h = floorToHour(start); h < window.to; h += HOUR_MS) {
    const slot = grid.slotAt(h);
    occurrences[slot] = (occurrences[slot] ?? 0) + 1;
    historyHours += 1;
  }
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    const seen = occurrences[s] as number;
    perHour[s] = seen > 0 ? (leadsBySlot[s] as number) / seen : 0;
  }
  return { perHour, historyHours, leads, junk };
}

/** Whether the slot is one of the source's own hours: it usually sends at least `minPerHour` then. */
export function isUsualHour(usual: UsualVolume, slot: number, minPerHour: number): boolean {
  return (usual.perHour[slot] ?? 0) >= minPerHour && minPerHour > 0;
}

export interface SilenceFigures {
  /** Leads the source would usually have sent in [from, to). */
  expected: number;
  /** Of [from, to), the hours that are the source's own hours (fractions for partial hours). */
  usualHours: number;
}

/** Expected leads and own hours over [from, to), counting the parts of the first and last hour. */
export function expectedDuring(usual: UsualVolume, grid: HourGrid, fromMs: number, toMs: number, minPerHour: number): SilenceFigures {
  let expected = 0;
  let usualHours = 0;
  for (let h = floorToHour(fromMs); h < toMs; h += HOUR_MS) {
    const overlap = (Math.min(toMs, h + HOUR_MS) - Math.max(fromMs, h)) / HOUR_MS;
    if (overlap <= 0) continue;
    const slot = grid.slotAt(h);
    expected += (usual.perHour[slot] ?? 0) * overlap;
    if (isUsualHour(usual, slot, minPerHour)) usualHours += overlap;
  }
  return { expected, usualHours };
}

/** Poisson: the chance that a source sending `expected` leads on average sends none. */
export function silenceProbability(expected: number): number {
  return Math.exp(-Math.max(0, expected));
}

export interface SilenceThresholds {
  /** Hours where the source usually sends at least this many leads are its own hours. */
  minExpectedPerHour: number;
  /** Own hours without a lead before the silence counts. */
  silenceHours: number;
  /** The silence must be this unlikely (Poisson) to count. */
  maxProbability: number;
}

export interface SilenceVerdict {
  /** The hour now is one of the source's own hours: only then may an alert go out. */
  usualNow: boolean;
  expectedPerHourNow: number;
  /** Hours since the last lead (wall clock). */
  silentHours: number;
  /** Of them, the source's own hours. */
  silentUsualHours: number;
  /** Leads usually sent since the last lead. */
  expected: number;
  probability: number;
  /** Unusual silence: alert (once) when no incident is open. */
  silent: boolean;
}

/**
 * Whether a source's silence since its last lead is unusual now: the hour now is one of its
 * own hours, at least `silenceHours` of its own hours passed without a lead, and so long a
 * silence had at most `maxProbability` of happening by chance (e^(−expected)). `since` is
 * the last lead, or where the history starts when there is none.
 */
export function judgeSilence(usual: UsualVolume, grid: HourGrid, since: number, now: number, t: SilenceThresholds): SilenceVerdict {
  const slot = grid.slotAt(now);
  const usualNow = isUsualHour(usual, slot, t.minExpectedPerHour);
  const from = Math.min(since, now);
  const { expected, usualHours } = expectedDuring(usual, grid, from, now, t.minExpectedPerHour);
  const probability = silenceProbability(expected);
  return {
    usualNow,
    expectedPerHourNow: usual.perHour[slot] ?? 0,
    silentHours: (now - from) / HOUR_MS,
    silentUsualHours: usualHours,
    expected,
    probability,
    silent: usualNow && usualHours >= t.silenceHours && probability <= t.maxProbability,
  };
}

/** P(X ≥ k) for X ~ Binomial(n, p): how likely so much junk is by chance at the usual rate. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logFactorial = (m: number): number => {
    let s = 0;
    for (let i = 2; i <= m; i++) s += Math.log(i);
    return s;
  };
  const lnN = logFactorial(n);
  let lnK = logFactorial(k);
  let lnNK = logFactorial(n - k);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let total = 0;
  for (let i = k; i <= n; i++) {
    if (i > k) {
      lnK += Math.log(i);
      lnNK -= Math.log(n - i + 1);
    }
    const term = Math.exp(lnN - lnK - lnNK + i * lp + (n - i) * lq);
    total += term;
    // Past the mode the terms only shrink: stop once they no longer matter.
    if (i > n * p && term < total * 1e-15) break;
  }
  return Math.min(1, total);
}

export interface JunkThresholds {
  /** The recent junk share must exceed the usual one by this much (0.25 = 25 percentage points). */
  junkRateJump: number;
  /** Leads needed, recently and in the history, before a junk share is judged. */
  minJunkSample: number;
  maxProbability: number;
}

export interface JunkVerdict {
  recentLeads: number;
  recentJunk: number;
  recentRate: number | null;
  usualRate: number | null;
  /** recentRate − usualRate, when both are known. */
  jump: number | null;
  probability: number | null;
  /** Enough leads on both sides to judge. */
  judged: boolean;
  /** Junk well above the usual: alert (once) when no incident is open. */
  spiking: boolean;
  /** Back within half the jump threshold: an open incident recovers. */
  normal: boolean;
}

/**
 * Whether the junk share of the source's recent leads jumped well above its usual share: by
 * at least `junkRateJump`, on at least `minJunkSample` leads on both sides, and so much junk
 * had at most `maxProbability` of happening at the usual share (binomial tail).
 */
export function judgeJunk(usual: { leads: number; junk: number }, recent: { leads: number; junk: number }, t: JunkThresholds): JunkVerdict {
  const recentRate = recent.leads > 0 ? recent.junk / recent.leads : null;
  const usualRate = usual.leads > 0 ? usual.junk / usual.leads : null;
  const judged = recent.leads >= t.minJunkSample && usual.leads >= t.minJunkSample && recentRate !== null && usualRate !== null;
  const jump = recentRate !== null && usualRate !== null ? recentRate - usualRate : null;
  const probability = judged && usualRate !== null ? binomialTail(recent.junk, recent.leads, usualRate) : null;
  return {
    recentLeads: recent.leads,
    recentJunk: recent.junk,
    recentRate,
    usualRate,
    jump,
    probability,
    judged,
    spiking: judged && jump !== null && jump >= t.junkRateJump && probability !== null && probability <= t.maxProbability,
    normal: judged && jump !== null && jump < t.junkRateJump / 2,
  };
}
