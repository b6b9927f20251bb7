import type { Kysely } from 'kysely';
import { OwnerCalendars } from '../../core/sla/owner-calendars.js';
import type { SlaPolicy } from '../../core/sla/sla-policy.js';
import { listHolidays, listSlaPolicies } from '../../store/sla-queries.js';
import type { Database } from '../../store/schema.js';
import { settingsChanged, settingsGeneration } from '../settings-generation.js';

export interface SlaSettings {
  /** Active policies only. */
  policies: SlaPolicy[];
  calendars: OwnerCalendars;
}

const TTL_MS = 5_000;
/** Holidays further back than this cannot move a deadline that is still worth computing. */
const HOLIDAY_LOOKBACK_DAYS = 60;

const cached = new WeakMap<Kysely<Database>, { at: number; generation: number; settings: SlaSettings }>();

/**
 * Policies and holidays change rarely and intake reads them for every batch, so they are kept
 * a few seconds per database; a change made in this process is seen at once (invalidated, also
 * by its intake thread: see settings-generation.ts), one made by another process within the TTL.
 *
 * @param db the store's database; `reader` reads with it when it is inside a transaction (on
 *   SQLite a second query on the store's handle would wait for that transaction).
 */
export async function loadSlaSettings(db: Kysely<Database>, at: Date, reader: Kysely<Database> = db): Promise<SlaSettings> {
  const hit = cached.get(db);
  if (hit && hit.generation === settingsGeneration() && Math.abs(at.getTime() - hit.at) < TTL_MS) return hit.settings;
  const since = new Date(at.getTime() - HOLIDAY_LOOKBACK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const [policies, holidays] = [await listSlaPolicies(reader), await listHolidays(reader, since)];
  const settings: SlaSettings = { policies: policies.filter((p) => p.active), calendars: new OwnerCalendars(holidays) };
  cached.set(db, { at: at.getTime(), generation: settingsGeneration(), settings });
  return settings;
}

export function invalidateSlaSettings(db: Kysely<Database>): void {
  cached.delete(db);
  settingsChanged();
}
