/**
 * What a text file a person exports holds: its encoding and, for CSV, its delimiter. Pure.
 * Russian offices export CSV from Excel in Windows-1251 with `;` between fields as often as in
 * UTF-8 with commas; a file is read the way it was written rather than as mojibake.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/**
 * A byte-order mark names UTF-8 or UTF-16; without one, bytes that are valid UTF-8 are UTF-8,
 * and anything else is Windows-1251 (the only single-byte encoding Russian Excel writes).
 * `chosen` overrides the guess.
 */
export function decodeText(bytes: Uint8Array, chosen?: TextEncodingName): DecodedText {
  if (chosen) return { text: stripBom(new TextDecoder(chosen).decode(bytes)), encoding: chosen };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The delimiter of a CSV: of `,` `;` and tab, the one that splits the header line (outside
 * quotes) into the most fields, and splits the next lines alike; `,` when nothing decides.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 5);
  const header = lines[0] ?? '';
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const candidate of [',', ';', '\t'] as const) {
    const count = countOutsideQuotes(header, candidate);
    if (count === 0) continue;
    // A delimiter that splits the data rows into the same number of fields is the stronger sign.
    const consistent = lines.slice(1).filter((l) => countOutsideQuotes(l, candidate) === count).length;
    const score = count + consistent * 100;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
