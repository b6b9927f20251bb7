/** The periods a head picks from; each turns into local dates the API reads in the team's zone. */
export const PERIOD_PRESETS = ['today', 'last7', 'last30', 'thisMonth', 'lastMonth', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export type Grouping = 'day' | 'week' | 'month';

export interface LocalPeriod {
  /** First local day included, YYYY-MM-DD. */
  from: string;
  /** Last local day included, YYYY-MM-DD (the API includes the whole day). */
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The local dates of a preset on the calendar of `today` (the viewer's day; the server reads them in the team's zone). */
export function periodOf(preset: Exclude<PeriodPreset, 'custom'>, today: Date): LocalPeriod {
  const y = today.getFullYear();
  const m = today.getMonth();
  const d = today.getDate();
  switch (preset) {
    case 'today':
      return { from: dayOf(today), to: dayOf(today) };
    case 'last7':
      return { from: dayOf(new Date(y, m, d - 6)), to: dayOf(today) };
    case 'last30':
      return { from: dayOf(new Date(y, m, d - 29)), to: dayOf(today) };
    case 'thisMonth':
      return { from: dayOf(new Date(y, m, 1)), to: dayOf(today) };
    case 'lastMonth':
      return { from: dayOf(new Date(y, m - 1, 1)), to: dayOf(new Date(y, m, 0)) };
  }
}

/** A sensible grouping for a period's length: days up to two months, then weeks, then months. */
export function groupingFor(period: LocalPeriod): Grouping {
  const days = (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000 + 1;
  return days <= 62 ? 'day' : days <= 190 ? 'week' : 'month';
}
