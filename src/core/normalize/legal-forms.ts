/**
 * Legal-form words as they look after company-name cleaning (lower case, ё → е, punctuation
 * turned into spaces), so "Co." is "co" and "L.L.C." is "l l c".
 */

/** Stripped from either end: Russian names put the form first ("ООО Ромашка") or last in sorted lists. */
export const LEGAL_FORMS_EITHER_END: readonly string[] = [
  'общество с ограниченной ответственностью',
  'публичное акционерное общество',
  'непубличное акционерное общество',
  'закрытое акционерное общество',
  'открытое акционерное общество',
  'акционерное общество',
  'индивидуальный предприниматель',
  'федеральное государственное унитарное предприятие',
  'государственное унитарное предприятие',
  'муниципальное унитарное предприятие',
  'автономная некоммерческая организация',
  'некоммерческая организация',
  'товарищество с ограниченной ответственностью',
  'ооо', 'ао', 'пао', 'зао', 'оао', 'нао', 'нко', 'ано', 'ип', 'фгуп', 'гуп', 'муп', 'тоо',
  // Transliterations with no Cyrillic lookalike; "OOO" and "OAO" are caught as lookalikes.
  'zao', 'pao',
  'limited liability company', 'public joint stock company', 'closed joint stock company',
  'open joint stock company', 'joint stock company',
  'llc', 'l l c', 'ltd', 'limited', 'inc', 'incorporated', 'gmbh', 'jsc', 'pjsc', 'cjsc',
  'ojsc', 'corp', 'corporation', 'plc', 'llp',
];

/** Stripped only at the end, where English puts them; leading, they are usually part of the name ("Co-op Bank"). */
export const LEGAL_FORMS_END_ONLY: readonly string[] = ['co', 'ag'];
