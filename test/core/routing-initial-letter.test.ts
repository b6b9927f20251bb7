import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConditionCompiler, evaluateCondition } from '../../src/core/routing/conditions.js';
import { exactInitial, initialLetterOf, letterOfKey, parseLetterRange, RUSSIAN_ALPHABET } from '../../src/core/routing/initial-letter.js';
import type { Condition } from '../../src/core/routing/rule-set.js';
import { lead } from './routing-fixtures.js';

const initial = (name: string): string => letterOfKey(initialLetterOf(name));
const inRanges = (companyName: string | undefined, value: string[]): boolean =>
  evaluateCondition({ field: 'companyName', op: 'initial_in', value }, lead(companyName === undefined ? {} : { companyName }));

describe('the initial letter of a name', () => {
  it.each([
    ['Ромашка', 'Р'],
    ['ромашка', 'Р'],
    ['ООО «Ромашка»', 'Р'],
    ['ООО "Ёлка"', 'Е'],
    ['«Ёлка», ООО', 'Е'],
    ['АО „Берёза“', 'Б'],
    ['ПАО Сбербанк', 'С'],
    ['ЗАО «Жасмин»', 'Ж'],
    ['ИП Иванов И. И.', 'И'],
    ['ООО\u00a0«Яблоко»', 'Я'],
    ['OOO Ромашка', 'Р'], // Latin O typed for the Cyrillic one
    ['Общество с ограниченной ответственностью «Юпитер»', 'Ю'],
    ['Акционерное общество «Гранит»', 'Г'],
    ['Индивидуальный предприниматель Петров', 'П'],
    ['Йошкар-Ола Трейд', 'Й'],
    ['«Ъ»', 'Ъ'],
    ['1С-Битрикс', 'С'],
    ['100 ремонтов', 'Р'],
    ['  — «Альфа»', 'А'],
    ["'Вега'", 'В'],
    ['Acme LLC', 'A'],
    ['LLC Acme', 'A'],
    ['Limited Liability Company Zeta', 'Z'],
    ['Globex Inc.', 'G'],
    ['The Boring Company', 'T'],
    ['Émile & Co', 'E'],
    ['Ørsted', 'O'],
  ])('%s → %s', (name, letter) => {
    expect(initial(name)).toBe(letter);
  });

  it.each([[''], ['   '], ['ООО'], ['ООО «»'], ['LLC'], ['12345'], ['Ωmega'], ['北京'], ['Єдність']])('%j has no initial', (name) => {
    expect(initial(name)).toBe('');
  });

  it('reads Ё as Е and keeps Й apart from И', () => {
    expect(inRanges('Ёлка', ['Е'])).toBe(true);
    expect(inRanges('ёлка', ['Д-Е'])).toBe(true);
    expect(inRanges('Ёлка', ['Ж-Я'])).toBe(false);
    expect(inRanges('Йод', ['И'])).toBe(false);
    expect(inRanges('Йод', ['Й-К'])).toBe(true);
  });

  it('keeps Latin and Cyrillic apart: an А-К range does not take a Latin A, nor A-M a Cyrillic А', () => {
    expect(inRanges('Acme', ['А-К'])).toBe(false);
    expect(inRanges('Acme', ['A-M'])).toBe(true);
    expect(inRanges('Альфа', ['A-M'])).toBe(false);
    expect(inRanges('Альфа', ['А-К', 'A-M'])).toBe(true);
    expect(inRanges('Zeta', ['А-Я'])).toBe(false);
  });

  it('is case-blind in the ranges and the names, and a missing or non-text field is in no range', () => {
    expect(inRanges('КАМАЗ', ['а-к'])).toBe(true);
    expect(inRanges('камаз', ['К'])).toBe(true);
    expect(inRanges(undefined, ['А-Я'])).toBe(false);
    expect(evaluateCondition({ field: 'custom.n', op: 'initial_in', value: ['А-Я'] }, lead({ custom: { n: 5 } }))).toBe(false);
    expect(evaluateCondition({ field: 'custom.n', op: 'initial_in', value: ['А-Я'] }, lead({ custom: { n: 'ООО «Ветер»' } }))).toBe(true);
    expect(evaluateCondition({ not: { field: 'companyName', op: 'initial_in', value: ['А-Я'] } }, lead({}))).toBe(true);
  });

  it('reads the contact name too', () => {
    expect(evaluateCondition({ field: 'name', op: 'initial_in', value: ['Л-Я'] }, lead({ name: 'Петров Иван' }))).toBe(true);
    expect(evaluateCondition({ field: 'name', op: 'initial_in', value: ['А-К'] }, lead({ name: 'Петров Иван' }))).toBe(false);
  });

  it('shares one reading of the initial between the conditions of a rule set, next to the field itself', () => {
    const compiler = createConditionCompiler();
    const ak = compiler.compile({ field: 'companyName', op: 'initial_in', value: ['А-К'] });
    const ly = compiler.compile({ field: 'companyName', op: 'initial_in', value: ['Л-Я'] });
    const exact = compiler.compile({ field: 'companyName', op: 'eq', value: 'ооо «ёлка»' });
    const table = compiler.read(lead({ companyName: 'ООО «Ёлка»' }));
    expect(table).toHaveLength(2);
    expect([ak(table), ly(table), exact(table)]).toEqual([true, false, true]);
  });

  const cyrillicLetter = fc.constantFrom(...`${RUSSIAN_ALPHABET}Ё`.split('').flatMap((ch) => [ch, ch.toLowerCase()]));
  const noise = fc.constantFrom('', ' ', '«', '»', '"', "'", '„', '“', '  ', '- ', '1', '2С ', '№', ', ', '\u00a0');
  const form = fc.constantFrom('', 'ООО ', 'ооо ', 'OOO ', 'АО ', 'ПАО ', 'ЗАО ', 'ИП ', 'LLC ', 'Ltd ', 'Общество с ограниченной ответственностью ', 'Акционерное общество ');
  const tail = fc.string({ maxLength: 8 });

  it('property: a name starting with a Cyrillic letter falls in exactly one of А-К and Л-Я', () => {
    const ak: Condition = { field: 'companyName', op: 'initial_in', value: ['А-К'] };
    const ly: Condition = { field: 'companyName', op: 'initial_in', value: ['Л-Я'] };
    fc.assert(
      fc.property(form, noise, cyrillicLetter, tail, noise, (f, before, letter, rest, after) => {
        const name = `${f}${before}${letter}${rest}${after}`;
        // Only names whose normalised form starts with a Cyrillic letter are claimed.
        fc.pre(/^[а-яё]/.test(initialLetterText(name)));
        const facts = lead({ companyName: name });
        expect(Number(evaluateCondition(ak, facts)) + Number(evaluateCondition(ly, facts))).toBe(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the one-pass reading agrees with the first letter of the company-name key', () => {
    const pieces = fc.constantFrom('ООО', 'ooo', 'OOO', 'LLC', 'l l c', 'Co', 'AG', 'Limited', 'Inc', 'ИП', 'Общество', 'с', 'ограниченной', 'ответственностью', '«', '»', '"', ' ', ' ', '-', '12', 'Ёлка', 'Йод', 'И\u0306', 'Е\u0308', '\u200b', 'Ⅻ', 'ﬁ', 'İstanbul', 'Émile', 'ß', 'Ω', '№', 'ᄀ', '한', 'x');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 3 })), { maxLength: 6 }), (parts) => {
        const name = parts.join('');
        expect(initialLetterOf(name)).toBe(exactInitial(name));
      }),
      { numRuns: 5000 },
    );
  });
});

/** The key the exact path reads, to tell which generated names start with a Cyrillic letter. */
function initialLetterText(name: string): string {
  return letterOfKey(exactInitial(name)).toLowerCase();
}

describe('starts_with', () => {
  it('compares a trimmed, case-blind beginning; a list matches when one element does', () => {
    const holds = (condition: Condition, facts = lead({ email: 'Info@Example.ru ', custom: { tags: ['VIP-gold', 'new'] } })) => evaluateCondition(condition, facts);
    expect(holds({ field: 'email', op: 'starts_with', value: ' INFO@' })).toBe(true);
    expect(holds({ field: 'email', op: 'starts_with', value: 'example' })).toBe(false);
    expect(holds({ field: 'custom.tags', op: 'starts_with', value: 'vip' })).toBe(true);
    expect(holds({ field: 'custom.tags', op: 'starts_with', value: 'old' })).toBe(false);
    expect(holds({ field: 'companyName', op: 'starts_with', value: 'a' })).toBe(false);
  });
});

describe('letter ranges', () => {
  it('reads a pair of letters of one alphabet with a hyphen or a dash, or one letter', () => {
    expect(parseLetterRange('А-К')).toMatchObject({ ok: true, range: { alphabet: 'cyrillic' } });
    expect(parseLetterRange(' а – к ')).toMatchObject({ ok: true });
    expect(parseLetterRange('A—M')).toMatchObject({ ok: true, range: { alphabet: 'latin' } });
    expect(parseLetterRange('Ж')).toMatchObject({ ok: true });
    expect(parseLetterRange('Ё-Ж')).toMatchObject({ ok: true });
  });

  it.each([
    ['А-K', 'mixed_alphabet_range'],
    ['A-Я', 'mixed_alphabet_range'],
    ['К-А', 'reversed_letter_range'],
    ['АК', 'invalid_letter_range'],
    ['А-', 'invalid_letter_range'],
    ['', 'invalid_letter_range'],
    ['1-9', 'invalid_letter_range'],
    ['Є', 'invalid_letter_range'],
  ])('refuses %j with %s', (text, code) => {
    expect(parseLetterRange(text)).toMatchObject({ ok: false, code });
  });
});
