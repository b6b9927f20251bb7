import { companyNameKey } from '../normalize/company-name.js';
import { LEGAL_FORMS_EITHER_END, LEGAL_FORMS_END_ONLY } from '../normalize/legal-forms.js';

/**
 * The initial letter of a name, for splitting leads by letter ranges (`А-К`, `Л-Я`, `A-M`).
 *
 * The initial is the first letter of the name as company names are compared
 * (`companyNameKey`): legal forms at the start (ООО, АО, ИП, LLC, «Общество с ограниченной
 * ответственностью» …), quotes, punctuation and leading digits are passed over, so
 * `ООО «Ёлка»`, `"Ёлка" ООО` and `1С-Битрикс` begin with Е, Е and С. Ё counts as Е, case does
 * not matter, and a Latin letter with an accent counts as the plain letter (É as E). A name
 * whose first letter is in neither alphabet below, or that has no letter at all, has no
 * initial and falls in no range.
 *
 * Initials are numbered by the code point of the lower-case letter (а–я, a–z), which is the
 * order of both alphabets, so a set of ranges becomes a lookup table read once per lead.
 */

/** The Russian alphabet in its order; Ё sorts with Е and is read as Е. */
export const RUSSIAN_ALPHABET = 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
export const LATIN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export type Alphabet = 'cyrillic' | 'latin';

/** No initial: the name is empty, all digits and legal forms, or starts with another script's letter. */
export const NO_INITIAL = -1;

const TABLE_SIZE = 0x2070;
const SLOW = 0;
const SEPARATOR = 1;
const LETTER = 2;
const DIGIT = 3;

/** How the fast scan treats each character; anything it cannot judge alone goes to the exact path. */
const CHAR_CLASS = new Uint8Array(TABLE_SIZE);
/** Lower-case letter → its place in an alphabet (the code point of а–я or a–z), or NO_INITIAL. */
const LETTER_KEY = new Int32Array(TABLE_SIZE).fill(NO_INITIAL);
/** Letter → lower-case letter, for the letters of CHAR_CLASS. */
const LOWER = new Uint16Array(TABLE_SIZE);

const ALPHABETS: Readonly<Record<Alphabet, string>> = { cyrillic: RUSSIAN_ALPHABET.toLowerCase(), latin: LATIN_ALPHABET.toLowerCase() };

for (const letters of Object.values(ALPHABETS)) for (const ch of letters) LETTER_KEY[ch.charCodeAt(0)] = ch.charCodeAt(0);
LETTER_KEY['ё'.charCodeAt(0)] = 'е'.charCodeAt(0);
// Latin letters with accents (é, ö, ç): the plain letter they are built on.
for (let code = 0xc0; code < 0x250; code++) {
  const base = String.fromCharCode(code).toLowerCase().normalize('NFD').charCodeAt(0);
  if (base >= 0x61 && base <= 0x7a) LETTER_KEY[String.fromCharCode(code).toLowerCase().charCodeAt(0)] = base;
}
// Letters with a stroke or joined ones, which do not decompose: the letter they start with.
for (const [letter, base] of Object.entries({ ø: 'o', đ: 'd', ð: 'd', ł: 'l', ħ: 'h', ŧ: 't', æ: 'a', œ: 'o', ß: 's', ı: 'i', ŀ: 'l' })) {
  LETTER_KEY[letter.charCodeAt(0)] = base.charCodeAt(0);
}

const IS_LETTER = /^\p{L}$/u;
const IS_DIGIT = /^\p{N}$/u;
const IS_WORD = /[\p{L}\p{N}\p{M}]/u;
const IS_FORMAT = /^\p{Cf}$/u;
for (let code = 0; code < TABLE_SIZE; code++) {
  const ch = String.fromCharCode(code);
  const kept = ch.normalize('NFKC') === ch;
  // Letters of other scripts may combine with what follows (Hangul jamo); leave them to the exact path.
  const plainScript = code < 0x250 || (code >= 0x400 && code < 0x530);
  if (IS_FORMAT.test(ch)) CHAR_CLASS[code] = SLOW;
  else if (!IS_WORD.test(ch.normalize('NFKC'))) CHAR_CLASS[code] = SEPARATOR;
  else if (kept && plainScript && IS_LETTER.test(ch) && ch.toLowerCase().length === 1) {
    CHAR_CLASS[code] = LETTER;
    LOWER[code] = ch.toLowerCase().charCodeAt(0);
  } else if (kept && IS_DIGIT.test(ch)) CHAR_CLASS[code] = DIGIT;
  else CHAR_CLASS[code] = SLOW;
}

/**
 * What the first word of a name says about legal forms: a form of one word that the exact
 * path would strip (skip it and read on), or the first word of a longer form (or of a form
 * stripped only at the end), which needs the exact path.
 */
const SKIP = 1;
const AMBIGUOUS = 2;
const FORM_WORDS = new Map<string, number>();
for (const form of LEGAL_FORMS_EITHER_END) if (!form.includes(' ')) FORM_WORDS.set(form, SKIP);
for (const form of LEGAL_FORMS_EITHER_END) if (form.includes(' ')) FORM_WORDS.set(form.split(' ')[0] ?? '', AMBIGUOUS);
for (const form of LEGAL_FORMS_END_ONLY) FORM_WORDS.set(form.split(' ')[0] ?? '', AMBIGUOUS);
const LONGEST_FORM_WORD = Math.max(...[...FORM_WORDS.keys()].map((word) => word.length));

// As in companyNameKey: Latin letters typed for their Cyrillic twins ("OOO").
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
};

/** Lower-case letters a legal-form word may start with (a Latin lookalike or Ё included): the rest need no lookup. */
const FORM_START = new Uint8Array(TABLE_SIZE);
for (const word of FORM_WORDS.keys()) {
  const first = word.charAt(0);
  FORM_START[first.charCodeAt(0)] = 1;
  if (first === 'е') FORM_START['ё'.charCodeAt(0)] = 1;
  for (const [latin, cyrillic] of Object.entries(LOOKALIKES)) if (cyrillic === first) FORM_START[latin.charCodeAt(0)] = 1;
}

function formWordKind(name: string, start: number, end: number): number {
  const lowerWord = name.slice(start, end).toLowerCase();
  const direct = FORM_WORDS.get(lowerWord);
  if (direct !== undefined) return direct;
  // Only a word with a Latin letter or Ё can read differently once folded.
  let foldable = false;
  for (let i = 0; i < lowerWord.length && !foldable; i++) {
    const code = lowerWord.charCodeAt(i);
    foldable = code < 0x80 || code === 0x451;
  }
  if (!foldable) return 0;
  let folded = '';
  for (const ch of lowerWord) folded += LOOKALIKES[ch] ?? (ch === 'ё' ? 'е' : ch);
  return folded === lowerWord ? 0 : (FORM_WORDS.get(folded) ?? 0);
}

/**
 * The initial of a name as a letter key (the code point of the lower-case letter, а–я or
 * a–z), or NO_INITIAL. Most names are read in one pass over their first word; names the
 * pass cannot judge on its own (rare scripts, invisible characters, a leading number, the
 * first word of a longer legal form) go through `companyNameKey`, which gives the same answer.
 *
 * @example String.fromCharCode(initialLetterOf('ООО «Ёлка»')) // 'е'
 */
export function initialLetterOf(name: string): number {
  const n = name.length;
  let i = 0;
  for (;;) {
    let cls = SEPARATOR;
    for (; i < n; i++) {
      const code = name.charCodeAt(i);
      cls = code < TABLE_SIZE ? (CHAR_CLASS[code] as number) : SLOW;
      if (cls !== SEPARATOR) break;
    }
    if (i >= n) return NO_INITIAL;
    if (cls === SLOW) return exactInitial(name);
    const start = i;
    const lead = name.charCodeAt(i);
    let first = -1;
    for (; i < n; i++) {
      const code = name.charCodeAt(i);
      cls = code < TABLE_SIZE ? (CHAR_CLASS[code] as number) : SLOW;
      if (cls === SEPARATOR) break;
      if (cls === SLOW) return exactInitial(name);
      if (cls === LETTER && first < 0) first = LOWER[code] as number;
    }
    // A word of digits alone: what follows may be a legal form the exact path treats differently.
    if (first < 0) return exactInitial(name);
    if (i - start <= LONGEST_FORM_WORD && CHAR_CLASS[lead] === LETTER && FORM_START[LOWER[lead] as number] === 1) {
      const kind = formWordKind(name, start, i);
      if (kind === SKIP) continue;
      if (kind === AMBIGUOUS) return exactInitial(name);
    }
    return LETTER_KEY[first] as number;
  }
}

/** The first letter of `companyNameKey(name)`: slower, and the definition the fast pass follows. */
export function exactInitial(name: string): number {
  const key = companyNameKey(name);
  if (key === null) return NO_INITIAL;
  for (const ch of key) {
    if (IS_LETTER.test(ch)) return letterKeyOf(ch);
  }
  return NO_INITIAL;
}

function letterKeyOf(ch: string): number {
  const code = ch.toLowerCase().charCodeAt(0);
  return code < TABLE_SIZE ? (LETTER_KEY[code] as number) : NO_INITIAL;
}

export interface LetterRange {
  alphabet: Alphabet;
  /** Letter keys, from ≤ to. */
  from: number;
  to: number;
}

export type LetterRangeParse =
  | { ok: true; range: LetterRange }
  | { ok: false; code: 'invalid_letter_range' | 'mixed_alphabet_range' | 'reversed_letter_range'; reason: string };

const RANGE_PATTERN = /^\s*(\S)\s*(?:[-–—]\s*(\S)\s*)?$/u;

/**
 * Reads `А-К`, `а–к`, `Ж` or `A-M`: one letter, or two of the same alphabet joined by a
 * hyphen or a dash, the first not after the second. Ё stands for Е.
 */
export function parseLetterRange(text: string): LetterRangeParse {
  const match = RANGE_PATTERN.exec(text);
  if (match === null) {
    return { ok: false, code: 'invalid_letter_range', reason: `"${text}" is not a letter range; write one letter ("Ж") or two joined by a hyphen ("А-К", "A-M")` };
  }
  const fromText = match[1] ?? '';
  const toText = match[2] ?? fromText;
  const from = alphabetLetter(fromText);
  const to = alphabetLetter(toText);
  for (const [letter, found] of [[fromText, from], [toText, to]] as const) {
    if (found === undefined) {
      return { ok: false, code: 'invalid_letter_range', reason: `"${letter}" in "${text}" is not a letter of the Russian or English alphabet` };
    }
  }
  if (from === undefined || to === undefined) return { ok: false, code: 'invalid_letter_range', reason: `"${text}" is not a letter range` };
  if (from.alphabet !== to.alphabet) {
    return {
      ok: false,
      code: 'mixed_alphabet_range',
      reason: `"${text}" joins a ${alphabetWord(from.alphabet)} letter (${fromText}) with a ${alphabetWord(to.alphabet)} one (${toText}); a range stays within one alphabet (a letter typed in the other keyboard layout looks the same but is not): give each alphabet its own range, like "А-К" and "A-M"`,
    };
  }
  if (from.key > to.key) {
    return { ok: false, code: 'reversed_letter_range', reason: `"${text}" runs backwards; write "${toText.toUpperCase()}-${fromText.toUpperCase()}"` };
  }
  return { ok: true, range: { alphabet: from.alphabet, from: from.key, to: to.key } };
}

function alphabetLetter(text: string): { alphabet: Alphabet; key: number } | undefined {
  const lower = text.toLowerCase();
  const letter = lower === 'ё' ? 'е' : lower;
  for (const alphabet of ['cyrillic', 'latin'] as const) {
    if (ALPHABETS[alphabet].includes(letter)) return { alphabet, key: letter.charCodeAt(0) };
  }
  return undefined;
}

function alphabetWord(alphabet: Alphabet): string {
  return alphabet === 'cyrillic' ? 'Cyrillic' : 'Latin';
}

/**
 * The letter keys a list of ranges covers, as a table indexed by letter key (1 = in a range).
 * Items that are not ranges cover nothing: the validator refuses them before a rule set is used.
 */
export function letterTable(ranges: readonly string[]): Uint8Array {
  const table = new Uint8Array(TABLE_SIZE);
  for (const text of ranges) {
    const parsed = parseLetterRange(text);
    if (!parsed.ok) continue;
    const letters = ALPHABETS[parsed.range.alphabet];
    for (const ch of letters) {
      const key = ch.charCodeAt(0);
      if (key >= parsed.range.from && key <= parsed.range.to) table[key] = 1;
    }
  }
  return table;
}

/** The letter a key stands for, in upper case (`К`), or '' for NO_INITIAL. */
export function letterOfKey(key: number): string {
  return key === NO_INITIAL ? '' : String.fromCharCode(key).toUpperCase();
}
