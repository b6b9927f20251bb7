import type { Locale } from './locale.js';

/** The forms of a word after a number: Russian uses one / few / many, English one / other. */
export interface PluralForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

const TAGS = { ru: 'ru-RU', en: 'en-GB' } as const;
const rules = { ru: new Intl.PluralRules('ru-RU'), en: new Intl.PluralRules('en-GB') };
const numbers = { ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }), en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, useGrouping: false }) };

/** The form of a word that agrees with `count`: plural('ru', 3, {one: 'лид', few: 'лида', many: 'лидов', other: 'лида'}) → «лида». */
export function plural(locale: Locale, count: number, forms: PluralForms): string {
  const category = rules[locale].select(count);
  if (category === 'one') return forms.one;
  if (category === 'few') return forms.few ?? forms.other;
  if (category === 'many') return forms.many ?? forms.other;
  return forms.other;
}

/** "3 лида" / "3 leads". */
export function countOf(locale: Locale, count: number, forms: PluralForms): string {
  return `${count} ${plural(locale, count, forms)}`;
}

export function formatNumber(locale: Locale, value: number): string {
  return numbers[locale].format(value);
}

/** A share as a percentage: 40%, 0,5% in Russian (one decimal below 1%). */
export function percent(locale: Locale, share: number): string {
  const value = share * 100;
  const shown = value >= 1 || value === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${formatNumber(locale, shown)}%`;
}

/** A local calendar date kept as YYYY-MM-DD: «14.12.2026» in Russian; English keeps the ISO form. */
export function localDate(locale: Locale, isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  return locale === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : isoDate;
}

/** A moment in the reader's zone: «07.12.2026, 19:40» / «07/12/2026, 19:40». */
export function dateTime(locale: Locale, iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(TAGS[locale], { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}

/** A month kept as YYYY-MM: «декабрь 2026» / «December 2026». */
export function monthName(locale: Locale, key: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key;
  const text = new Intl.DateTimeFormat(TAGS[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)));
  // Russian standalone months come as «декабрь 2026 г.»: the reader wants the plain month.
  return text.replace(/\s*г\.$/, '');
}
