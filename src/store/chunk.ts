/** SQLite binds at most 32,766 parameters per statement; multi-row inserts are split below that. */
const MAX_PARAMETERS = 30_000;

export function chunkForInsert<T extends object>(rows: T[]): T[][] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first).length;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
