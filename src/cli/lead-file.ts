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
  const content = readFileSync(path, 'utf8');
  return { ...parseLeadFile(content, name.endsWith('.json') ? 'json' : 'csv'), content };
}
