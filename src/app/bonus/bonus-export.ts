import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { BOM, csvCell } from '../reports/report-csv.js';
import type { BonusReport, CurrencyTotal } from './bonus-report.js';

/**
 * The bonus report for payroll: one row per line (manager, deal, role, %, credited amount,
 * currency, bonus, adjustment), then a total per manager and currency and the grand totals.
 * Money in currency units with kopecks (1234.56), as numbers. XLSX through exceljs's streaming
 * writer, CSV as UTF-8 with a BOM; both written row by row.
 */
type Cell = string | number | null;

const HEADERS = {
  ru: ['Менеджер', 'Команда', 'Сделка', 'Лид', 'Роль', 'Доля, %', 'Начислено', 'Валюта', 'Бонус', 'Корректировка за', 'Правило'],
  en: ['Manager', 'Team', 'Deal', 'Lead', 'Role', 'Share, %', 'Credited', 'Currency', 'Bonus', 'Adjusts', 'Rule'],
};
const ROLE_NAMES: Record<'ru' | 'en', Record<string, string>> = {
  ru: {
    originator: 'Привлечение клиента',
    closer: 'Закрытие сделки',
    'controlPoint:presentation': 'Контрольная точка «Презентация»',
    'controlPoint:proposal': 'Контрольная точка «КП»',
    'controlPoint:contract': 'Контрольная точка «Договор»',
  },
  en: {
    originator: 'Brought the client in',
    closer: 'Closed the deal',
    'controlPoint:presentation': 'Control point "Presentation"',
    'controlPoint:proposal': 'Control point "Proposal"',
    'controlPoint:contract': 'Control point "Contract"',
  },
};
const TOTAL = { ru: { manager: 'Итого', all: 'Итого по всем' }, en: { manager: 'Total', all: 'Grand total' } };

const money = (minor: number | null): number | null => (minor === null ? null : minor / 100);

function* rowsOf(report: BonusReport, locale: 'ru' | 'en'): Generator<{ cells: Cell[]; total: boolean }> {
  const teamName = new Map(report.teams.map((t) => [t.teamId, t.teamName]));
  for (const m of report.managers) {
    for (const l of m.lines) {
      yield {
        cells: [m.name, teamName.get(l.teamId) ?? l.teamName, l.dealTitle, l.leadId, ROLE_NAMES[locale][l.role] ?? l.role, l.shareBp / 100, money(l.amountMinor), l.currency, money(l.bonusMinor), l.adjustsPeriod, l.rule],
        total: false,
      };
    }
    for (const t of m.totals) yield { cells: totalRow(`${TOTAL[locale].manager}: ${m.name ?? '—'}`, t), total: true };
  }
  for (const t of report.totals) yield { cells: totalRow(TOTAL[locale].all, t), total: true };
}

function totalRow(label: string, t: CurrencyTotal): Cell[] {
  return [label, null, null, null, null, null, money(t.creditedMinor), t.currency, money(t.bonusMinor), null, null];
}

export function bonusXlsx(report: BonusReport, locale: 'ru' | 'en'): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(`${locale === 'ru' ? 'Бонусы' : 'Bonuses'} ${report.period}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [24, 16, 32, 14, 22, 9, 14, 9, 14, 14, 48];
  sheet.columns = HEADERS[locale].map((header, i) => ({ header, key: `c${i}`, width: widths[i] ?? 12 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const { cells, total } of rowsOf(report, locale)) {
    const row = sheet.addRow(cells);
    for (const col of [7, 9]) row.getCell(col).numFmt = '#,##0.00';
    if (total) row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
  void workbook.commit().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

export function bonusCsv(report: BonusReport, locale: 'ru' | 'en'): Readable {
  function* lines(): Generator<string> {
    yield `${BOM}${HEADERS[locale].map(csvCell).join(',')}\r\n`;
    for (const { cells } of rowsOf(report, locale)) yield `${cells.map(csvCell).join(',')}\r\n`;
  }
  return Readable.from(lines());
}
