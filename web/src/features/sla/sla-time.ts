/** Wall-clock times in a manager's zone, for the SLA preview (the browser may sit in another zone). */

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    partsFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / 60_000) * 60_000;
}

/** `YYYY-MM-DDTHH:mm` read as a wall-clock time in the zone → ISO instant; null when malformed. */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let instant = guess - offsetAt(guess, timeZone);
  instant = guess - offsetAt(instant, timeZone);
  return Number.isNaN(instant) ? null : new Date(instant).toISOString();
}

/** An instant as `YYYY-MM-DDTHH:mm` on the zone's wall clock (the value of a datetime-local input). */
export function instantToZoned(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

/** Days with the same intervals, run together: [["mon","fri","09:00–18:00"], ["sat","sat","10:00–14:00"]]. */
export function weekRuns(hours: WeeklyHours): Array<{ from: Weekday; to: Weekday; intervals: string }> {
  const runs: Array<{ from: Weekday; to: Weekday; intervals: string }> = [];
  for (const day of WEEKDAYS) {
    const intervals = (hours[day] ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
    if (!intervals) continue;
    const last = runs[runs.length - 1];
    if (last && last.intervals === intervals && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1) last.to = day;
    else runs.push({ from: day, to: day, intervals });
  }
  return runs;
}
