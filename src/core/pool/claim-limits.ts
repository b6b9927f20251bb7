import { refusalToTake } from '../routing/can-take-leads.js';
import type { ManagerProfile } from '../routing/manager-profile.js';
import type { Exclusion } from '../routing/trace.js';

/** pick: managers choose from the list; take_next: they get the next lead in the team's order. */
export type PoolMode = 'pick' | 'take_next';
export type PoolOrder = 'oldest' | 'score';

export interface PoolSettings {
  mode: PoolMode;
  order: PoolOrder;
  /** Claims per manager in any rolling hour. */
  claimsPerHour: number;
}

export const DEFAULT_POOL_SETTINGS: Readonly<PoolSettings> = Object.freeze({ mode: 'pick', order: 'oldest', claimsPerHour: 10 });

export const CLAIM_WINDOW_MS = 3_600_000;

export type ClaimRefusal =
  | { kind: 'take_next_only' }
  | { kind: 'rate'; claims: number; max: number }
  | { kind: 'capacity'; exclusion: Exclusion };

export interface ClaimAttempt {
  settings: PoolSettings;
  /** True when the manager chose the lead; false for take-next. */
  picking: boolean;
  /** The manager's claims within the last CLAIM_WINDOW_MS. */
  recentClaims: number;
  manager: ManagerProfile;
  at: number;
}

/**
 * The first pool limit a claim breaks, or null: picking where the team takes the next lead,
 * too many claims this hour, or a manager already at a cap. Hours and pauses do not count:
 * claiming is the manager's own choice.
 */
export function claimRefusal(attempt: ClaimAttempt): ClaimRefusal | null {
  if (attempt.picking && attempt.settings.mode === 'take_next') return { kind: 'take_next_only' };
  if (claimsLeft(attempt.settings, attempt.recentClaims) === 0) return { kind: 'rate', claims: attempt.recentClaims, max: attempt.settings.claimsPerHour };
  const exclusion = refusalToTake(attempt.manager, attempt.at, { capacityOnly: true });
  return exclusion ? { kind: 'capacity', exclusion } : null;
}

/** Claims a manager may still make now: the limit less the claims in the last CLAIM_WINDOW_MS, never below 0. */
export function claimsLeft(settings: Pick<PoolSettings, 'claimsPerHour'>, recentClaims: number): number {
  return Math.max(0, settings.claimsPerHour - recentClaims);
}

/** What a manager may still take from the pool, counted as claimRefusal counts it. */
export interface ClaimStanding {
  claimsPerHour: number;
  claimsLeftThisHour: number;
  /** The load the open cap is checked against, and the cap (null: none). */
  openLeads: number;
  maxOpen: number | null;
  /** Leads assigned since the start of the manager's local day, as the daily cap counts them. */
  assignedToday: number;
  maxPerDay: number | null;
  /** Shown only: a paused manager still may claim (claiming is the manager's own choice). */
  paused: boolean;
}

export function claimStanding(settings: Pick<PoolSettings, 'claimsPerHour'>, recentClaims: number, manager: ManagerProfile): ClaimStanding {
  return {
    claimsPerHour: settings.claimsPerHour,
    claimsLeftThisHour: claimsLeft(settings, recentClaims),
    openLeads: manager.load.open,
    maxOpen: manager.maxOpen,
    assignedToday: manager.load.today,
    maxPerDay: manager.maxPerDay,
    paused: manager.paused,
  };
}
