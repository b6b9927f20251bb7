import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { reportTable } from './report-csv.js';

/**
 * One table of a report as an Excel workbook (exceljs's streaming writer: rows are committed
 * as they are written, so a long table is not held as a workbook in memory). Numbers stay
 * numbers; a text a spreadsheet would run as a formula stays text, since exceljs writes
 * strings as strings.
 */
export function reportXlsx(report: Record<string, unknown>, section: string): Readable {
  const { columns, rows } = reportTable(report, section);
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(section.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c, key: c, width: Math.min(40, Math.max(10, c.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of rows) sheet.addRow(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))).commit();
  sheet.commit();
  void workbook.commit().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
