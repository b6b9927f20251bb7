import { companyNameKey } from '../normalize/company-name.js';
import { initialLetterOf, letterOfKey, letterTable, NO_INITIAL, parseLetterRange } from '../routing/initial-letter.js';

/**
 * Splitting a client base among managers (issue 14 §3): which manager each company goes to,
 * by a method a head picks. Pure: the use case loads the companies and managers, this decides.
 *
 * - alphabet: ranges of the initial letter of the normalised name (`А-К` → Анна, `Л-Я` → Борис,
 *   `A-M` …), read as the routing rules read them (legal forms, quotes, Ё → Е);
 * - territory: regions → manager (case, ё/е and spaces ignored);
 * - tier: companies whose size (employees) or revenue reaches a threshold are VIP and go evenly
 *   by weight to the named VIP managers; the rest evenly by weight to the other managers;
 * - even: evenly by weight.
 * A company no range or region covers goes evenly by weight to every chosen manager (counted
 * as `fallback`), so each company ends with exactly one owner. "Evenly by weight" is a smooth
 * weighted round robin over the companies in name order: deterministic, and each manager's count
 * is within one of its share.
 */

export type SplitMethod =
  | { kind: 'alphabet'; ranges: Array<{ letters: string; managerId: string }> }
  | { kind: 'territory'; regions: Array<{ region: string; managerId: string }> }
  | { kind: 'tier'; by: 'size' | 'revenue'; threshold: number; vipManagerIds: string[] }
  | { kind: 'even' };

export interface SplitCompany {
  id: string;
  name: string;
  region: string | null;
  size: number | null;
  revenue: number | null;
  ownerId: string | null;
}

export interface SplitManager {
  id: string;
  weight: number;
}

export interface SplitIssue {
  path: string;
  code: string;
  message: string;
}

export interface PlannedCompany {
  company: SplitCompany;
  managerId: string;
  /** Why: the range or region that matched, `vip`/`rest`, `even`, or `fallback` when nothing covered it. */
  reason: string;
}

/** Problems with the method's parameters (the path names the field), empty when it can be used. */
export function checkSplitMethod(method: SplitMethod, managers: readonly SplitManager[]): SplitIssue[] {
  const issues: SplitIssue[] = [];
  const chosen = new Set(managers.map((m) => m.id));
  if (managers.length === 0) issues.push({ path: 'managerIds', code: 'required', message: 'Choose at least one manager' });
  const known = (id: string, path: string) => {
    if (!chosen.has(id)) issues.push({ path, code: 'not_chosen', message: `${id} is not among the chosen managers` });
  };
  switch (method.kind) {
    case 'alphabet': {
      if (method.ranges.length === 0) issues.push({ path: 'method.ranges', code: 'required', message: 'Give at least one letter range' });
      const owner = new Map<number, number>();
      method.ranges.forEach((r, i) => {
        known(r.managerId, `method.ranges.${i}.managerId`);
        const parsed = parseLetterRange(r.letters);
        if (!parsed.ok) {
          issues.push({ path: `method.ranges.${i}.letters`, code: parsed.code, message: parsed.reason });
          return;
        }
        const table = letterTable([r.letters]);
        for (let key = 0; key < table.length; key++) {
          if (table[key] !== 1) continue;
          const other = owner.get(key);
          if (other !== undefined && other !== i) {
            issues.push({ path: `method.ranges.${i}.letters`, code: 'overlapping_range', message: `«${r.letters}» overlaps «${(method.ranges[other] as { letters: string }).letters}» at ${letterOfKey(key)}` });
            return;
          }
          owner.set(key, i);
        }
      });
      break;
    }
    case 'territory': {
      if (method.regions.length === 0) issues.push({ path: 'method.regions', code: 'required', message: 'Give at least one region' });
      const seen = new Map<string, number>();
      method.regions.forEach((r, i) => {
        known(r.managerId, `method.regions.${i}.managerId`);
        const key = regionKey(r.region);
        if (key === '') issues.push({ path: `method.regions.${i}.region`, code: 'required', message: 'Name the region' });
        else if (seen.has(key)) issues.push({ path: `method.regions.${i}.region`, code: 'duplicate', message: `«${r.region}» is given twice` });
        seen.set(key, i);
      });
      break;
    }
    case 'tier':
      if (method.vipManagerIds.length === 0) issues.push({ path: 'method.vipManagerIds', code: 'required', message: 'Name the managers of the VIP clients' });
      method.vipManagerIds.forEach((id, i) => known(id, `method.vipManagerIds.${i}`));
      if (!(method.threshold > 0)) issues.push({ path: 'method.threshold', code: 'not_positive', message: 'The VIP threshold is a number above zero' });
      break;
    case 'even':
      break;
  }
  return issues;
}

/** A region as compared: lower case, Ё as Е, runs of spaces and dashes as one space. */
export function regionKey(region: string): string {
  return region.toLowerCase().replace(/ё/g, 'е').replace(/[\s\-–—_.,]+/g, ' ').trim();
}

/** Companies as people read a list: by the normalised name (legal forms and quotes left out), then the name, then the id. */
export function sortByName<T extends { id: string; name: string }>(companies: readonly T[]): T[] {
  const keyed = companies.map((c) => ({ c, key: companyNameKey(c.name) ?? c.name.toLowerCase() }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || (a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : 0) || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0));
  return keyed.map((k) => k.c);
}

/**
 * Smooth weighted round robin: each turn every manager gains its weight, the one with the
 * most goes and loses the total. Over n turns a manager of weight w gets n·w/W, within one.
 */
export class WeightedTurns {
  private readonly current = new Map<string, number>();
  private readonly total: number;

  constructor(private readonly managers: readonly SplitManager[]) {
    this.total = managers.reduce((sum, m) => sum + Math.max(0, m.weight), 0);
    for (const m of managers) this.current.set(m.id, 0);
  }

  next(): string {
    let best: SplitManager | undefined;
    let bestValue = -Infinity;
    for (const m of this.managers) {
      const value = (this.current.get(m.id) ?? 0) + (this.total > 0 ? Math.max(0, m.weight) : 1);
      this.current.set(m.id, value);
      if (value > bestValue) {
        best = m;
        bestValue = value;
      }
    }
    if (!best) throw new Error('no managers to take turns');
    this.current.set(best.id, bestValue - (this.total > 0 ? this.total : this.managers.length));
    return best.id;
  }
}

/** Each company's manager by the method, the companies in name order. */
export function planSplit(companies: readonly SplitCompany[], managers: readonly SplitManager[], method: SplitMethod): PlannedCompany[] {
  const sorted = sortByName(companies);
  const fallback = new WeightedTurns(managers);
  switch (method.kind) {
    case 'alphabet': {
      const byLetter = new Map<number, { managerId: string; letters: string }>();
      for (const r of method.ranges) {
        const table = letterTable([r.letters]);
        for (let key = 0; key < table.length; key++) if (table[key] === 1 && !byLetter.has(key)) byLetter.set(key, { managerId: r.managerId, letters: r.letters });
      }
      return sorted.map((company) => {
        const initial = initialLetterOf(company.name);
        const hit = initial === NO_INITIAL ? undefined : byLetter.get(initial);
        return hit ? { company, managerId: hit.managerId, reason: hit.letters } : { company, managerId: fallback.next(), reason: 'fallback' };
      });
    }
    case 'territory': {
      const byRegion = new Map(method.regions.map((r) => [regionKey(r.region), r] as const));
      return sorted.map((company) => {
        const hit = company.region ? byRegion.get(regionKey(company.region)) : undefined;
        return hit ? { company, managerId: hit.managerId, reason: hit.region } : { company, managerId: fallback.next(), reason: 'fallback' };
      });
    }
    case 'tier': {
      const vipIds = new Set(method.vipManagerIds);
      const vip = new WeightedTurns(managers.filter((m) => vipIds.has(m.id)));
      const others = managers.filter((m) => !vipIds.has(m.id));
      const rest = others.length > 0 ? new WeightedTurns(others) : fallback;
      return sorted.map((company) => {
        const value = method.by === 'size' ? company.size : company.revenue;
        return value !== null && value >= method.threshold ? { company, managerId: vip.next(), reason: 'vip' } : { company, managerId: rest.next(), reason: 'rest' };
      });
    }
    case 'even':
      return sorted.map((company) => ({ company, managerId: fallback.next(), reason: 'even' }));
  }
}
