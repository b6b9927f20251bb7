import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileToBase64, isWorkbook } from '@/features/rules/file-base64';

describe('sending a workbook from the browser', () => {
  it('encodes a file as the server decodes it, across the slices it is built in', async () => {
    for (const size of [0, 1, 2, 3, 0x8000, 0x8000 + 1, 300_001]) {
      const bytes = randomBytes(size);
      expect(await fileToBase64(new Blob([bytes])), `${size} bytes`).toBe(bytes.toString('base64'));
    }
  });

  it('tells a workbook by its name', () => {
    expect(isWorkbook(new File([], 'Лиды ноябрь.XLSX'))).toBe(true);
    expect(isWorkbook(new File([], 'leads.csv'))).toBe(false);
    expect(isWorkbook(new File([], 'old.xls'))).toBe(false);
  });
});
