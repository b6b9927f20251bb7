import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { detectDelimiter, type CsvDelimiter, type TextEncodingName } from '../../core/intake/text-file.js';
import { cellOf, textOf, type Cell } from '../intake/parse-lead-file.js';

export type ImportFormat = 'csv' | 'xlsx';

/** One data row of a file: its number as a spreadsheet shows it (the header is row 1), and its cells by column name. */
export interface FileRow {
  row: number;
  cells: Array<[string, Cell | undefined]>;
}

export interface LeadFileReader {
  header: string[];
  csv?: { encoding: TextEncodingName; delimiter: CsvDelimiter };
  /** The data rows, read as they are consumed: the whole file is never in memory. */
  rows: AsyncIterable<FileRow>;
  /** How many bytes of the file the rows read so far took (read-ahead included), against `size`: the fraction done. */
  bytesRead(): number;
  size: number;
}

/** The format a file name says: .xlsx is a workbook, anything else is read as CSV. */
export function formatOfName(name: string): ImportFormat {
  return name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

/** The file's SHA-256, read as a stream: the identity its idempotency keys are made of. */
export async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64url');
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Opens a lead file for reading row by row. A CSV's encoding (BOM, else valid UTF-8, else
 * Windows-1251) and delimiter are told from its first 64 KiB, then the text is decoded and
 * parsed as it streams; a workbook's first sheet is read with exceljs's streaming reader.
 * Throws, with a message for a person, when the file cannot be read as its format.
 */
export async function openLeadFile(path: string, format: ImportFormat, options: { encoding?: TextEncodingName } = {}): Promise<LeadFileReader> {
  return format === 'xlsx' ? await openWorkbook(path) : await openCsv(path, options.encoding);
}

async function sniff(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The encoding of a file from its first bytes, and how many bytes of byte-order mark to skip. */
export function sniffEncoding(head: Uint8Array, chosen?: TextEncodingName): { encoding: TextEncodingName; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: chosen ?? 'utf-8', bom: chosen && chosen !== 'utf-8' ? 0 : 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: chosen ?? 'utf-16le', bom: chosen && chosen !== 'utf-16le' ? 0 : 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: chosen ?? 'utf-16be', bom: chosen && chosen !== 'utf-16be' ? 0 : 2 };
  if (chosen) return { encoding: chosen, bom: 0 };
  try {
    // stream: a multi-byte character cut at the end of the sample is no error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'windows-1251', bom: 0 };
  }
}

async function openCsv(path: string, chosen?: TextEncodingName): Promise<LeadFileReader> {
  const head = await sniff(path);
  const { encoding, bom } = sniffEncoding(head, chosen);
  const delimiter = detectDelimiter(new TextDecoder(encoding).decode(head.subarray(bom)));
  let bytes = 0;
  const records = (count: boolean) => {
    const decoder = new TextDecoder(encoding);
    const decode = new Transform({
      readableObjectMode: false,
      transform(chunk: Buffer, _enc, done) {
        done(null, decoder.decode(chunk, { stream: true }));
      },
      flush(done) {
        done(null, decoder.decode());
      },
    });
    const parser = parse({ delimiter, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
    const source = createReadStream(path, { start: bom, highWaterMark: 256 * 1024 });
    if (count) source.on('data', (chunk) => (bytes += chunk.length));
    source.on('error', (e) => parser.destroy(e));
    decode.on('error', (e) => parser.destroy(e));
    source.pipe(decode).pipe(parser);
    return parser as AsyncIterable<{ record: string[]; info: { records: number; empty_lines: number } }>;
  };
  // The header: the first record, read by a parser of its own (cheap: it stops at once).
  let header: string[] = [];
  for await (const { record } of records(false)) {
    header = record.map((h) => h.trim());
    break;
  }
  return {
    header,
    csv: { encoding, delimiter },
    bytesRead: () => bytes,
    size: (await stat(path)).size,
    rows: {
      async *[Symbol.asyncIterator]() {
        let first = true;
        for await (const { record, info } of records(true)) {
          if (first) {
            first = false;
            continue;
          }
          // A row of empty cells (`;;;;`, how spreadsheets export a blank row) is a blank line, not a lead to refuse.
          if (!record.some((v) => v !== '')) continue;
          const cells: Array<[string, Cell | undefined]> = [];
          for (let i = 0; i < header.length; i++) {
            const name = header[i] as string;
            if (name !== '') cells.push([name, record[i]]);
          }
          yield { row: info.records + info.empty_lines, cells };
        }
      },
    },
  };
}

type WorksheetRow = { number: number; values: ExcelJS.CellValue[] | Record<string, ExcelJS.CellValue> };

async function openWorkbook(path: string): Promise<LeadFileReader> {
  const head = await sniff(path);
  // A zip starts with PK; an old .xls or a CSV renamed is said so rather than read as garbage.
  if (head[0] !== 0x50 || head[1] !== 0x4b) throw new Error('the file is not an .xlsx workbook (an older .xls or another file? Save it as .xlsx or CSV)');
  let bytes = 0;
  const sheetRows = async function* (count = false): AsyncGenerator<WorksheetRow> {
    const source = createReadStream(path, { highWaterMark: 256 * 1024 });
    if (count) source.on('data', (chunk) => (bytes += chunk.length));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<WorksheetRow>) yield row;
      // The first sheet only.
      return;
    }
  };
  const valuesOf = (row: WorksheetRow): ExcelJS.CellValue[] => (Array.isArray(row.values) ? row.values : []);
  let header: Array<string | undefined> = [];
  try {
    for await (const row of sheetRows()) {
      const values = valuesOf(row);
      if (!values.some((v) => v !== null && v !== undefined && textOf(v).trim() !== '')) continue;
      header = values.map((v) => (v === null || v === undefined ? undefined : textOf(v).trim() || undefined));
      break;
    }
  } catch (error) {
    throw new Error(`the file is not a readable .xlsx workbook (${(error as Error).message})`);
  }
  if (header.length === 0) throw new Error('the first sheet is empty: its first row should name lead fields (name, phone, region…)');
  const names = header.filter((h): h is string => h !== undefined);
  return {
    header: names,
    bytesRead: () => bytes,
    size: (await stat(path)).size,
    rows: {
      async *[Symbol.asyncIterator]() {
        let headerSeen = false;
        for await (const row of sheetRows(true)) {
          const values = valuesOf(row);
          if (!headerSeen) {
            if (values.some((v) => v !== null && v !== undefined && textOf(v).trim() !== '')) headerSeen = true;
            continue;
          }
          const cells: Array<[string, Cell | undefined]> = [];
          let any = false;
          for (let i = 0; i < header.length; i++) {
            const name = header[i];
            if (name === undefined) continue;
            const v = values[i];
            const cell = v === null || v === undefined ? undefined : cellOf(v);
            if (cell !== undefined && cell !== '') any = true;
            cells.push([name, cell]);
          }
          if (any) yield { row: row.number, cells };
        }
      },
    },
  };
}
