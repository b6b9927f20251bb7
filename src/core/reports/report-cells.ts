/**
 * The common shape of a report's figures before they are shaped into tables: cells, each the
 * tally (counters, duration histograms) of some leads that share a manager, source, campaign,
 * rule and one report-specific key, placed at an instant (a lead's arrival, or the start of the
 * local day a rollup row sums). A report reads its cells either from raw rows (one per lead) or
 * from rollups (one per day and key) and builds every table from them the same way, so both
 * give the same figures. Pure.
 */
export interface CellKey {
  managerId: string | null;
  source: string | null;
  campaign: string | null;
  ruleId: string | null;
  /** The report's own key (junk: who marked the lead), or null. */
  extra: string | null;
}

export interface Cell<T> extends CellKey {
  /** Milliseconds: where the cell falls in the period's buckets. */
  at: number;
  tally: T;
}

/** How a report's tally adds up, is stored and is known to be empty. */
export interface TallyKind<T> {
  empty(): T;
  /** into += sign × from. */
  merge(into: T, from: T, sign?: number): void;
  isEmpty(t: T): boolean;
  encode(t: T): unknown;
  decode(v: unknown): T;
}

export function sumCells<T>(kind: TallyKind<T>, cells: Iterable<Cell<T>>): T {
  const total = kind.empty();
  for (const c of cells) kind.merge(total, c.tally);
  return total;
}

/**
 * The tallies per key, keys in a stable order (by the key's text) so that raw rows and rollups,
 * which meet the keys in different orders, list ties the same way.
 */
export function sumCellsBy<T, K extends string | number | null, C extends Cell<T> = Cell<T>>(kind: TallyKind<T>, cells: Iterable<C>, keyOf: (cell: C) => K): Map<K, T> {
  const out = new Map<K, T>();
  for (const c of cells) {
    const key = keyOf(c);
    let t = out.get(key);
    if (t === undefined) {
      t = kind.empty();
      out.set(key, t);
    }
    kind.merge(t, c.tally);
  }
  return new Map([...out].sort(([a], [b]) => compareKeys(a, b)));
}

/**
 * Sums already made per key, regrouped by a coarser key (a manager's team; everything): each
 * tally is merged once more rather than every cell again — with duration bins, merging is what
 * a report spends its time on. Keys in the same stable order as sumCellsBy.
 */
export function regroupSums<T, K extends string | number | null, J extends string | number | null>(kind: TallyKind<T>, sums: Iterable<[K, T]>, keyOf: (key: K) => J): Map<J, T> {
  const out = new Map<J, T>();
  for (const [key, tally] of sums) {
    const group = keyOf(key);
    let t = out.get(group);
    if (t === undefined) {
      t = kind.empty();
      out.set(group, t);
    }
    kind.merge(t, tally);
  }
  return new Map([...out].sort(([a], [b]) => compareKeys(a, b)));
}

/** null last, numbers by value, text by code point (not locale: the order must not depend on the machine). */
export function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
