import { LEGAL_FORMS_EITHER_END, LEGAL_FORMS_END_ONLY } from './legal-forms.js';

// Zero-width and other format characters would otherwise split a word in two.
const FORMAT_CHARS = /\p{Cf}/gu;
// Quotes of every kind («» „“ "" '' ‘’) are punctuation here, so they go with the rest.
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

// Latin letters that look like Cyrillic ones, used only to recognise a legal form typed in
// the wrong keyboard layout ("OOO", "ЗAO"); the name itself is never transliterated.
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у',
};

type Form = readonly string[];
const toForms = (list: readonly string[]): Form[] =>
  // Longest first, so "акционерное общество" is not left behind by a shorter match.
  list.map((f) => f.split(' ')).sort((a, b) => b.length - a.length);
const EITHER_END = toForms(LEGAL_FORMS_EITHER_END);
const END_ONLY = toForms(LEGAL_FORMS_END_ONLY);
const AT_END = [...EITHER_END, ...END_ONLY].sort((a, b) => b.length - a.length);

/**
 * A key under which spellings of one company's name coincide, or null if nothing but a
 * legal form (or nothing at all) is left.
 * @example companyNameKey('ООО «Ромашка»') === companyNameKey('Ромашка, ООО') // 'ромашка'
 */
export function companyNameKey(raw: string): string | null {
  const words = raw
    .normalize('NFKC')
    .replace(FORMAT_CHARS, '')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(NOT_WORD, ' ')
    .trim()
    .split(' ');

  let start = 0;
  let end = words.length;
  for (let changed = true; changed && start < end; ) {
    changed = false;
    const lead = matchAt(words, start, end, EITHER_END, 'start');
    if (lead > 0) {
      start += lead;
      changed = true;
    }
    const tail = matchAt(words, start, end, AT_END, 'end');
    if (tail > 0) {
      end -= tail;
      changed = true;
    }
  }
  const key = words.slice(start, end).join(' ');
  return key === '' ? null : key;
}

/** How many words of a legal form sit at that end of words[start, end), or 0. */
function matchAt(words: readonly string[], start: number, end: number, forms: readonly Form[], side: 'start' | 'end'): number {
  for (const form of forms) {
    if (form.length > end - start) continue;
    const offset = side === 'start' ? start : end - form.length;
    if (form.every((part, i) => sameWord(words[offset + i] ?? '', part))) return form.length;
  }
  return 0;
}

function sameWord(word: string, formWord: string): boolean {
  if (word === formWord) return true;
  if (word.length !== formWord.length) return false;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i] ?? '';
    if ((LOOKALIKES[ch] ?? ch) !== formWord[i]) return false;
  }
  return true;
}
