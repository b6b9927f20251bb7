import { DateTime } from 'luxon';

/** The languages people read in; a person who chose none reads Russian, like the web app shows. */
export type Locale = 'ru' | 'en';

export function localeOf(stored: string | null): Locale {
  return stored === 'en' ? 'en' : 'ru';
}

export type SourceHealthMessage =
  | { kind: 'silent'; source: string; lastLeadAt: string | null; silentHours: number; expectedPerHour: number }
  | { kind: 'junk_spike'; source: string; recentRate: number; usualRate: number; windowHours: number; recentLeads: number }
  | { kind: 'silence_over'; source: string; firstLeadAt: string; silentHours: number }
  | { kind: 'junk_over'; source: string; recentRate: number; usualRate: number; windowHours: number };

const percent = (share: number): string => `${Math.round(share * 100)}%`;

function number(value: number, locale: Locale): string {
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return locale === 'ru' ? String(rounded).replace('.', ',') : String(rounded);
}

/** "3 ч" / "3 h"; under an hour in minutes. */
function duration(hours: number, locale: Locale): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return locale === 'ru' ? `${minutes} мин` : `${minutes} min`;
  }
  return locale === 'ru' ? `${number(hours, locale)} ч` : `${number(hours, locale)} h`;
}

/** A time in the company's zone: "14:05", or "пн 14:05" / "Mon 14:05" when not today. */
function clock(iso: string, now: Date, zone: string, locale: Locale): string {
  const at = DateTime.fromISO(iso, { zone }).setLocale(locale);
  const today = DateTime.fromJSDate(now, { zone });
  return at.hasSame(today, 'day') ? at.toFormat('HH:mm') : at.toFormat('ccc d MMM HH:mm');
}

/** The one line e-mail subjects, Telegram and the in-app feed show, in the reader's language. */
export function sourceHealthText(message: SourceHealthMessage, locale: Locale, now: Date, zone: string): string {
  const ru = locale === 'ru';
  const name = ru ? `«${message.source}»` : `"${message.source}"`;
  switch (message.kind) {
    case 'silent': {
      const since = message.lastLeadAt ? (ru ? ` (последний в ${clock(message.lastLeadAt, now, zone, locale)})` : ` (the last at ${clock(message.lastLeadAt, now, zone, locale)})`) : '';
      return ru
        ? `Источник ${name} молчит: нет лидов ${duration(message.silentHours, locale)}${since}, хотя в эти часы обычно ~${number(message.expectedPerHour, locale)} в час`
        : `Source ${name} has gone silent: no leads for ${duration(message.silentHours, locale)}${since}, though it usually sends ~${number(message.expectedPerHour, locale)} an hour at this time`;
    }
    case 'junk_spike':
      return ru
        ? `Источник ${name}: ${percent(message.recentRate)} мусора среди ${message.recentLeads} лидов за ${duration(message.windowHours, locale)} — обычно ${percent(message.usualRate)}`
        : `Source ${name}: ${percent(message.recentRate)} junk among ${message.recentLeads} leads in ${duration(message.windowHours, locale)}, against ${percent(message.usualRate)} usually`;
    case 'silence_over':
      return ru
        ? `Источник ${name} снова присылает лиды: первый в ${clock(message.firstLeadAt, now, zone, locale)} после ${duration(message.silentHours, locale)} тишины`
        : `Source ${name} sends leads again: the first at ${clock(message.firstLeadAt, now, zone, locale)} after ${duration(message.silentHours, locale)} of silence`;
    case 'junk_over':
      return ru
        ? `Источник ${name}: доля мусора вернулась к обычной — ${percent(message.recentRate)} за ${duration(message.windowHours, locale)} (обычно ${percent(message.usualRate)})`
        : `Source ${name}: junk is back to usual, ${percent(message.recentRate)} in ${duration(message.windowHours, locale)} (usually ${percent(message.usualRate)})`;
  }
}
