import { describe, expect, it } from 'vitest';
import { parseLeadFile } from '../../src/app/intake/parse-lead-file.js';
import { decodeText, detectDelimiter } from '../../src/core/intake/text-file.js';

/** Windows-1251 bytes of a text (what Russian Excel writes when it saves CSV). */
function cp1251(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) bytes.push(code);
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0);
    else if (ch === 'Ё') bytes.push(0xa8);
    else if (ch === 'ё') bytes.push(0xb8);
    else if (ch === '«') bytes.push(0xab);
    else if (ch === '»') bytes.push(0xbb);
    else throw new Error(`no cp1251 byte for ${ch} in this test helper`);
  }
  return Uint8Array.from(bytes);
}

describe('a text file read as it was written', () => {
  it('tells UTF-8 (with and without a BOM), UTF-16 and Windows-1251 apart', () => {
    const text = 'Имя;Телефон\nЁлка;+79160000000';
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(cp1251(text))).toEqual({ text, encoding: 'windows-1251' });
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...text].flatMap((c) => [(c.codePointAt(0) as number) & 0xff, (c.codePointAt(0) as number) >> 8])]);
    expect(decodeText(utf16)).toEqual({ text, encoding: 'utf-16le' });
  });

  it('finds the delimiter: a comma, a semicolon (Excel in Russia) or a tab, not one inside quotes', () => {
    expect(detectDelimiter('name,phone\nA,1')).toBe(',');
    expect(detectDelimiter('Имя;Телефон;Комментарий\n"Иванов, Пётр";+7916;"да; нет"\nАнна;+7903;')).toBe(';');
    expect(detectDelimiter('name\tphone\nA\t1')).toBe('\t');
    expect(detectDelimiter('name\nA')).toBe(',');
  });
});

describe('a CSV of leads from Russian Excel', () => {
  it('reads Windows-1251 with semicolons and Russian headers into intake fields, reporting how', () => {
    const file = cp1251('ФИО;Телефон;ИНН;Компания;Город;Бюджет;utm_source;Номер в 1С\nПётр Иванов;8 916 123-45-67;7707083893;ООО «Ромашка»;Москва;250 000;yandex;A-17\n;;;;;;;\nАнна;+7 903 000-00-00;;;Казань;много;;A-18\n');
    const parsed = parseLeadFile(file, 'csv');
    expect(parsed.csv).toEqual({ encoding: 'windows-1251', delimiter: ';' });
    expect(parsed.leads).toEqual([{ name: 'Пётр Иванов', phone: '8 916 123-45-67', taxId: '7707083893', companyName: 'ООО «Ромашка»', region: 'Москва', dealValue: 250000, utm: { source: 'yandex' } }]);
    expect(parsed.rows).toEqual([2]);
    // The bad budget is reported on the row the spreadsheet shows (the blank line counts).
    expect(parsed.rejected).toMatchObject([{ row: 4, issues: [{ path: 'dealValue' }] }]);
    expect(parsed.mappedColumns.map((m) => `${m.column}→${m.field}`)).toEqual(['ФИО→name', 'Телефон→phone', 'ИНН→taxId', 'Компания→companyName', 'Город→region', 'Бюджет→dealValue', 'utm_source→utm.source']);
    expect(parsed.ignoredColumns).toEqual(['Номер в 1С']);
  });

  it('keeps the first of two columns meaning the same field and reports the second', () => {
    const parsed = parseLeadFile('Имя;Телефон;Мобильный;Бюджет\nА;+79160000001;+79160000002;250,000\n', 'csv');
    expect(parsed.rejected).toMatchObject([{ row: 2, issues: [{ path: 'dealValue' }] }]);
    expect(parsed.mappedColumns.map((m) => m.column)).toEqual(['Имя', 'Телефон', 'Бюджет']);
    expect(parsed.ignoredColumns).toEqual(['Мобильный']);
  });

  it('lets a column in intake’s own name win over one that only means it', () => {
    const parsed = parseLeadFile('phone,Телефон,name\n+79160000001,+79160000002,A\n', 'csv');
    expect(parsed.leads).toEqual([{ phone: '+79160000001', name: 'A' }]);
    expect(parsed.ignoredColumns).toEqual(['Телефон']);
  });
});
