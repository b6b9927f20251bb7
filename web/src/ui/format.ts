import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

/** Intl formatters are costly to make and boards format hundreds of values: one per locale and options. */
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as T;
}

/** Dates, times and numbers in the viewer's language; a zone when the owner's local time matters. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'ru-RU';
  return useMemo(() => makeFormat(locale), [locale]);
}

export function makeFormat(locale: string) {
  const dateTime = (timeZone?: string) => cached(`dt:${locale}:${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }));
  const time = (timeZone?: string) => cached(`t:${locale}:${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }));
  return {
    locale,
    dateTime: (iso: string | null | undefined, timeZone?: string) => (iso ? dateTime(timeZone).format(new Date(iso)) : '—'),
    date: (iso: string | null | undefined) =>
      iso ? cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : '—',
    time: (iso: string, timeZone?: string) => time(timeZone).format(new Date(iso)),
    number: (n: number | null | undefined) => (n === null || n === undefined ? '—' : cached(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(n)),
    money: (n: number | null | undefined, currency = 'RUB') =>
      n === null || n === undefined ? '—' : cached(`m:${locale}:${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 })).format(n),
    percent: (share: number) => cached(`p:${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })).format(share),
    relative: (iso: string, now: number) => {
      const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
      const rtf = cached(`r:${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
      if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
      return rtf.format(Math.round(hours / 24), 'day');
    },
  };
}
