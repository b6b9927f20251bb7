import { checkAvailability, managerLocalDate, nextAvailabilityChange } from '../../core/routing/availability.js';
import { localIsoTime } from '../../core/routing/local-clock.js';
import type { ManagerProfile } from '../../core/routing/manager-profile.js';
import type { Exclusion } from '../../core/routing/trace.js';
import type { ManagerRow } from '../../store/manager-queries.js';
import { countPoolLeads } from '../../store/pool-queries.js';
import { countSlaBreachedByOwner, findTeam, listTeamManagerRows } from '../../store/team-board-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { loadProfiles } from '../transfers/recipient.js';
import { toManagerView } from './manage-team.js';

export type BoardAvailability = 'available' | 'off_hours' | 'absent' | 'paused' | 'inactive';

export interface BoardManager {
  id: string;
  name: string;
  timeZone: string;
  /** Now on the manager's wall clock, ISO-8601 with the zone's offset. */
  localTime: string;
  availability: BoardAvailability;
  /** The last day (local date) of the absence, when absent. */
  absentUntil: string | null;
  /** When the availability next changes by the calendar (hours, absences), and into what; null when nothing is scheduled. */
  nextChange: { at: string; availability: Exclude<BoardAvailability, 'paused' | 'inactive'>; absentUntil: string | null } | null;
  openLeads: number;
  maxOpen: number | null;
  /** Leads taken since the start of the manager's local day, as the daily cap counts them. */
  assignedToday: number;
  maxPerDay: number | null;
  /** Open leads of theirs whose SLA is breached now. */
  slaBreachedOpen: number;
  weight: number;
  skills: string[];
  regions: string[];
  languages: string[];
}

export interface TeamBoard {
  team: { id: string; name: string };
  /** The instant the board was read. */
  at: string;
  /** Leads waiting in the pool, which every team's managers share. */
  poolSize: number;
  managers: BoardManager[];
}

/**
 * The live board of one team for its head: each manager's availability on their own clock,
 * load against the caps and breached SLAs, judged by the same profiles and checks routing uses.
 * Admins and integrations with team:read see every team; a head the own team; nobody else.
 */
export async function teamBoard(ctx: AppContext, principal: Principal, teamId: string): Promise<TeamBoard> {
  assertMaySeeBoards(principal);
  const db = ctx.store.db;
  const team = await findTeam(db, teamId);
  if (!team) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No team with id ${teamId}`);
  // Teams are listed to every salesperson, so refusing another team's board hides nothing.
  if (principal.kind === 'user' && principal.role === 'head' && principal.teamId !== team.id) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A head sees the board of the own team only');

  const now = ctx.now();
  const at = now.getTime();
  const rows = await listTeamManagerRows(db, team.id);
  const [profiles, breached, poolSize] = await Promise.all([loadProfiles(db, now), countSlaBreachedByOwner(db, rows.map((r) => r.id), now.toISOString()), countPoolLeads(db)]);
  const managers = rows.map((row) => boardManager(row, profiles.get(row.id), breached.get(row.id) ?? 0, at));
  const byName = new Intl.Collator('ru');
  managers.sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
  return { team, at: now.toISOString(), poolSize, managers };
}

/** Before the team is looked up, so a caller who may see no board learns nothing about team ids. */
function assertMaySeeBoards(principal: Principal): void {
  if (principal.kind !== 'user' || isAdmin(principal)) return;
  if (principal.role !== 'head') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The team board is for the head of the team');
  if (principal.teamId === null) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'You run no team');
}

/** `profile` is routing's view of an active manager; a switched-off one has none. */
function boardManager(row: ManagerRow, profile: ManagerProfile | undefined, slaBreachedOpen: number, at: number): BoardManager {
  const view = toManagerView(row);
  const common = {
    id: view.id, name: view.name, timeZone: view.timeZone, localTime: localIsoTime(view.timeZone, at), maxOpen: view.maxOpen, maxPerDay: view.maxPerDay,
    slaBreachedOpen, weight: view.weight, skills: view.skills, regions: view.regions, languages: view.languages,
  };
  if (!profile) {
    const today = row.today_date === managerLocalDate(view, at) ? row.today_count : 0;
    return { ...common, availability: 'inactive', absentUntil: null, nextChange: null, openLeads: row.open_leads, assignedToday: today };
  }
  const now = availabilityOf(checkAvailability(profile, at));
  const change = nextAvailabilityChange(profile, at);
  const next = change ? availabilityOf(change.becomes) : null;
  return {
    ...common,
    ...now,
    nextChange: change && next && next.availability !== 'paused' ? { at: localIsoTime(view.timeZone, change.at), availability: next.availability, absentUntil: next.absentUntil } : null,
    openLeads: profile.load.open,
    assignedToday: profile.load.today,
  };
}

function availabilityOf(exclusion: Exclusion | null): { availability: Exclude<BoardAvailability, 'inactive'>; absentUntil: string | null } {
  switch (exclusion?.kind) {
    case undefined:
      return { availability: 'available', absentUntil: null };
    case 'paused':
      return { availability: 'paused', absentUntil: null };
    case 'absent':
      return { availability: 'absent', absentUntil: exclusion.until };
    default:
      // checkAvailability reports nothing else: caps and profile matches are judged per lead.
      return { availability: 'off_hours', absentUntil: null };
  }
}
