import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyNameKey } from '../../src/core/normalize/company-name.js';

describe('companyNameKey', () => {
  it('"ООО «Ромашка»" and "Ромашка, ООО" get the same key', () => {
    expect(companyNameKey('ООО «Ромашка»')).toBe('ромашка');
    expect(companyNameKey('Ромашка, ООО')).toBe('ромашка');
  });

  it('quotes of every kind are ignored', () => {
    for (const raw of ['ООО "Ромашка"', 'ООО „Ромашка“', "ООО 'Ромашка'", 'ООО “Ромашка”', 'ООО ‘Ромашка’', 'ООО ««Ромашка»»']) {
      expect(companyNameKey(raw), raw).toBe('ромашка');
    }
  });

  it('full Russian legal forms are stripped', () => {
    expect(companyNameKey('Общество с ограниченной ответственностью «Ромашка»')).toBe('ромашка');
    expect(companyNameKey('Публичное акционерное общество "Сбербанк России"')).toBe('сбербанк россии');
    expect(companyNameKey('Акционерное общество «Тинькофф Банк»')).toBe('тинькофф банк');
    expect(companyNameKey('ФГУП «Почта России»')).toBe('почта россии');
    expect(companyNameKey('МУП "Водоканал"')).toBe('водоканал');
    expect(companyNameKey('ИП Иванов Иван Иванович')).toBe('иванов иван иванович');
    expect(companyNameKey('АНО «Школа»')).toBe('школа');
  });

  it('English legal forms are stripped, with or without dots', () => {
    expect(companyNameKey('Romashka LLC')).toBe('romashka');
    expect(companyNameKey('Romashka, L.L.C.')).toBe('romashka');
    expect(companyNameKey('Romashka Ltd.')).toBe('romashka');
    expect(companyNameKey('Acme, Inc.')).toBe('acme');
    expect(companyNameKey('Siemens AG')).toBe('siemens');
    expect(companyNameKey('Bosch GmbH')).toBe('bosch');
    expect(companyNameKey('Sberbank PJSC')).toBe('sberbank');
    expect(companyNameKey('Smith & Co.')).toBe('smith');
    expect(companyNameKey('Acme Corp.')).toBe('acme');
  });

  it('a form at both ends, or two forms in a row, are all stripped', () => {
    expect(companyNameKey('ООО «Ромашка» LLC')).toBe('ромашка');
    expect(companyNameKey('ООО ООО Ромашка')).toBe('ромашка');
  });

  it('a legal form in the middle of a name stays', () => {
    expect(companyNameKey('Ромашка ООО Групп')).toBe('ромашка ооо групп');
  });

  it('"Co" at the start is part of the name, not a legal form', () => {
    expect(companyNameKey('Co-op Bank')).toBe('co op bank');
  });

  it('a form typed in the Latin layout is still recognised, but the name is not transliterated', () => {
    expect(companyNameKey('OOO "Romashka"')).toBe('romashka');
    expect(companyNameKey('ЗAO «Ромашка»')).toBe('ромашка'); // З Cyrillic, AO Latin
    expect(companyNameKey('ZAO Romashka')).toBe('romashka');
    expect(companyNameKey('OOO "Romashka"')).not.toBe(companyNameKey('ООО «Ромашка»'));
  });

  it('ё and е give the same key', () => {
    expect(companyNameKey('ООО «Ёлка»')).toBe(companyNameKey('ООО «Елка»'));
  });

  it('punctuation and runs of whitespace collapse to single spaces', () => {
    expect(companyNameKey('  ООО   «Альфа-Банк»!!  ')).toBe('альфа банк');
    expect(companyNameKey('Рога\tи\nкопыта')).toBe('рога и копыта');
  });

  it('invisible characters do not split or change a word', () => {
    expect(companyNameKey('Ром\u200bашка\u00ad')).toBe('ромашка');
    expect(companyNameKey('Ромашка\u00a0Плюс')).toBe('ромашка плюс');
  });

  it('decomposed and composed letters give the same key', () => {
    expect(companyNameKey('Йогурт'.normalize('NFD'))).toBe(companyNameKey('Йогурт'));
  });

  it('only a legal form, only punctuation or nothing gives null', () => {
    expect(companyNameKey('')).toBeNull();
    expect(companyNameKey('   ')).toBeNull();
    expect(companyNameKey('ООО')).toBeNull();
    expect(companyNameKey('ООО «»')).toBeNull();
    expect(companyNameKey('—')).toBeNull();
    expect(companyNameKey('LLC')).toBeNull();
  });

  it('very long names are handled in linear time', () => {
    const started = performance.now();
    expect(companyNameKey(`ООО ${'Ромашка '.repeat(100_000)}`)).toMatch(/^ромашка/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a key is its own key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (raw) => {
        const once = companyNameKey(raw);
        if (once !== null) expect(companyNameKey(once)).toBe(once);
      }),
    );
  });
});
