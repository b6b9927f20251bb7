/** Calendar months ('YYYY-MM') for the month picker and their names in the reader's language. */
export function monthKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

export function shiftMonth(period: string, by: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return monthKey(new Date(y, m - 1 + by, 1));
}

/** «Декабрь 2026», «December 2026»: the month's own (nominative) name and the year; `inSentence` keeps Russian lower case («план на декабрь 2026»). */
export function monthName(period: string, locale: string, inSentence = false): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const name = new Intl.DateTimeFormat(locale, { month: 'long' }).format(new Date(y, m - 1, 15));
  return `${inSentence ? name : `${name.charAt(0).toUpperCase()}${name.slice(1)}`} ${y}`;
}

/** A year back and a quarter ahead of `around`, newest first, always including `selected`. */
export function monthOptions(around: string, selected: string | undefined, locale: string): Array<{ value: string; label: string }> {
  const keys = new Set<string>();
  for (let i = 3; i >= -12; i--) keys.add(shiftMonth(around, i));
  if (selected) keys.add(selected);
  return [...keys].sort().reverse().map((value) => ({ value, label: monthName(value, locale) }));
}
