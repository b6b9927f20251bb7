/** Months as the bonus report names them: YYYY-MM. */
export function monthOfDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

export function shiftMonth(period: string, by: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function isMonth(value: string | null): value is string {
  return value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** «Ноябрь 2026», "November 2026"; mid-sentence (`capital` false) «ноябрь 2026». */
export function monthLabel(period: string, locale: string, capital = true): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const text = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
  const clean = text.replace(/\s*г\.$/, '');
  return capital ? clean.charAt(0).toUpperCase() + clean.slice(1) : clean;
}

/** Money in minor units with kopecks, in the currency's sign when it has one. */
export function formatMinor(minor: number | null, currency: string | null, locale: string): string {
  if (minor === null) return '—';
  const options: Intl.NumberFormatOptions = currency ? { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  try {
    return new Intl.NumberFormat(locale, options).format(minor / 100);
  } catch {
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100)} ${currency ?? ''}`.trim();
  }
}

export function formatShare(bp: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(bp / 100)}%`;
}
