/** JSON columns are text on SQLite and jsonb on PostgreSQL; both are read back as text (see database.ts). */
export function readJson<T>(value: string | null | undefined, fallback: T): T {
  if (value === null || value === undefined || value === '') return fallback;
  return JSON.parse(value) as T;
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}
