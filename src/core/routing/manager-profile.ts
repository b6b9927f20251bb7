import type { ManagerId, TeamId } from '../ids.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Working intervals per weekday in the manager's own time zone, "HH:MM" to "HH:MM" (to may be "24:00"). */
export type WeeklyHours = Partial<Record<Weekday, Array<[string, string]>>>;

/** An absence covers whole local dates, inclusive: "2026-12-01" to "2026-12-14". */
export interface Absence {
  from: string;
  to: string;
}

/** A manager as routing sees one: profile, limits and current load. */
export interface ManagerProfile {
  id: ManagerId;
  name: string;
  teamId: TeamId | null;
  weight: number;
  /** Tier in group rules, 1 first (high = 1, normal = 2, low = 3); absent means normal. */
  priority?: number;
  maxOpen: number | null;
  maxPerDay: number | null;
  skills: string[];
  industries: string[];
  regions: string[];
  languages: string[];
  timeZone: string;
  /** null means always on duty. */
  workingHours: WeeklyHours | null;
  absences: Absence[];
  paused: boolean;
  /** Open leads now, and leads assigned since the start of the manager's local day. */
  load: { open: number; today: number };
  /** Leads owned and leads converted in the performance window. */
  performance: { leads: number; won: number };
}
