/** One field of a before/after pair: its two values as text and whether it changed. */
export interface DiffRow {
  field: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/**
 * Before and after field by field, in the order the fields first appear; null when either side is
 * neither an object nor absent (then the two values are shown whole).
 */
export function diffRows(before: unknown, after: unknown): DiffRow[] | null {
  const b = before ?? {};
  const a = after ?? {};
  if (!isRecord(b) || !isRecord(a)) return null;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.map((field) => {
    const was = before === null || before === undefined ? undefined : b[field];
    const is = after === null || after === undefined ? undefined : a[field];
    return { field, before: show(was), after: show(is), changed: JSON.stringify(was) !== JSON.stringify(is) };
  });
}

/** A short name for the changed thing, from its own fields when it has one. */
export function entityLabel(entry: { before: unknown; after: unknown; entityId: string | null }): string | null {
  for (const side of [entry.after, entry.before]) {
    if (!isRecord(side)) continue;
    for (const field of ['name', 'title', 'label', 'url', 'email']) {
      const value = side[field];
      if (typeof value === 'string' && value.trim()) return value;
    }
  }
  return entry.entityId;
}
