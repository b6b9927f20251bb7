import { readFileSync } from 'node:fs';
import { parseLeadFile, parseLeadWorkbook, type ParsedLeadFile } from '../app/intake/parse-lead-file.js';

/**
 * A lead file named on the command line, read by its extension: .json, .xlsx (the first sheet),
 * anything else as CSV. `content` is what was read, for telling the same file again.
 */
export async function readLeadFile(path: string): Promise<ParsedLeadFile & { content: string | Buffer }> {
  const name = path.toLowerCase();
  if (name.endsWith('.xlsx')) {
    const content = readFileSync(path);
    return { ...(await parseLeadWorkbook(content)), content };
  }
  // Bytes, not text: a CSV from Excel may be Windows-1251, and is read as it was written.
  const content = readFileSync(path);
  return { ...parseLeadFile(content, name.endsWith('.json') ? 'json' : 'csv'), content };
}

/** One line saying how the file was read, for people checking an import: encoding, delimiter, columns taken by their name. */
export function howRead(parsed: ParsedLeadFile): string | null {
  const parts: string[] = [];
  if (parsed.csv) parts.push(`read as ${parsed.csv.encoding.toUpperCase()}, fields separated by ${parsed.csv.delimiter === '\t' ? 'tabs' : `"${parsed.csv.delimiter}"`}`);
  if (parsed.mappedColumns.length) parts.push(`columns read by name: ${parsed.mappedColumns.map((m) => `${m.column} → ${m.field}`).join(', ')}`);
  return parts.length ? parts.join('; ') : null;
}
