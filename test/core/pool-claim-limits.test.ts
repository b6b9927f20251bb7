import { describe, expect, it } from 'vitest';
import { claimRefusal, claimsLeft, claimStanding, DEFAULT_POOL_SETTINGS } from '../../src/core/pool/claim-limits.js';
import { refusalToTake } from '../../src/core/routing/can-take-leads.js';
import { manager } from './routing-fixtures.js';

// Wednesday 2026-11-25, 12:00 in Moscow.
const NOON = Date.parse('2026-11-25T09:00:00Z');

describe('refusalToTake', () => {
  it('judges availability first, on the manager’s own clock, then the caps', () => {
    expect(refusalToTake(manager('a'), NOON)).toBeNull();
    expect(refusalToTake(manager('a', { paused: true, load: { open: 9, today: 0 }, maxOpen: 1 }), NOON)).toEqual({ kind: 'paused' });
    expect(refusalToTake(manager('a', { absences: [{ from: '2026-11-20', to: '2026-11-30' }] }), NOON)).toEqual({ kind: 'absent', until: '2026-11-30' });
    expect(refusalToTake(manager('a', { workingHours: { wed: [['14:00', '18:00']] } }), NOON)).toMatchObject({ kind: 'off_hours', localTime: '12:00' });
    expect(refusalToTake(manager('a', { maxPerDay: 4, load: { open: 0, today: 4 } }), NOON)).toEqual({ kind: 'daily_cap', today: 4, max: 4 });
  });

  it('counts a whole batch against the caps and reports the real load', () => {
    const anna = manager('a', { maxOpen: 5, load: { open: 3, today: 0 } });
    expect(refusalToTake(anna, NOON, { count: 2 })).toBeNull();
    expect(refusalToTake(anna, NOON, { count: 3 })).toEqual({ kind: 'open_cap', open: 3, max: 5 });
  });

  it('with capacityOnly, hours, pauses and absences do not count', () => {
    const away = manager('a', { paused: true, absences: [{ from: '2026-11-25', to: '2026-11-25' }], workingHours: { mon: [['09:00', '10:00']] }, maxOpen: 2, load: { open: 1, today: 0 } });
    expect(refusalToTake(away, NOON, { capacityOnly: true })).toBeNull();
    expect(refusalToTake({ ...away, load: { open: 2, today: 0 } }, NOON, { capacityOnly: true })).toEqual({ kind: 'open_cap', open: 2, max: 2 });
  });
});

describe('claimRefusal', () => {
  const attempt = { settings: DEFAULT_POOL_SETTINGS, picking: true, recentClaims: 0, manager: manager('a'), at: NOON };

  it('refuses picking where the team takes the next lead, before any other limit', () => {
    const full = manager('a', { maxOpen: 0 });
    expect(claimRefusal({ ...attempt, settings: { ...DEFAULT_POOL_SETTINGS, mode: 'take_next' }, recentClaims: 99, manager: full })).toEqual({ kind: 'take_next_only' });
    expect(claimRefusal({ ...attempt, settings: { ...DEFAULT_POOL_SETTINGS, mode: 'take_next' }, picking: false })).toBeNull();
  });

  it('then the claims of the last hour, then the caps; a paused manager may still claim', () => {
    expect(claimRefusal({ ...attempt, recentClaims: DEFAULT_POOL_SETTINGS.claimsPerHour })).toEqual({ kind: 'rate', claims: 10, max: 10 });
    expect(claimRefusal({ ...attempt, recentClaims: 9 })).toBeNull();
    expect(claimRefusal({ ...attempt, manager: manager('a', { maxOpen: 2, load: { open: 2, today: 0 } }) })).toEqual({ kind: 'capacity', exclusion: { kind: 'open_cap', open: 2, max: 2 } });
    expect(claimRefusal({ ...attempt, manager: manager('a', { paused: true }) })).toBeNull();
  });
});

describe('claimStanding', () => {
  it('claims left reach 0 exactly where claimRefusal starts refusing for the rate', () => {
    for (let recent = 0; recent <= 12; recent++) {
      const refused = claimRefusal({ settings: DEFAULT_POOL_SETTINGS, picking: true, recentClaims: recent, manager: manager('a'), at: NOON })?.kind === 'rate';
      expect(claimsLeft(DEFAULT_POOL_SETTINGS, recent) === 0).toBe(refused);
    }
    expect(claimsLeft(DEFAULT_POOL_SETTINGS, 3)).toBe(7);
    expect(claimsLeft(DEFAULT_POOL_SETTINGS, 15)).toBe(0);
  });

  it('shows the loads and caps the capacity check uses', () => {
    const anna = manager('a', { maxOpen: 5, maxPerDay: null, paused: true, load: { open: 4, today: 2 } });
    expect(claimStanding(DEFAULT_POOL_SETTINGS, 4, anna)).toEqual({ claimsPerHour: 10, claimsLeftThisHour: 6, openLeads: 4, maxOpen: 5, assignedToday: 2, maxPerDay: null, paused: true });
  });
});
