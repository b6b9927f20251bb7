import { describe, expect, it } from 'vitest';
import { findCandidates } from '../../src/core/routing/candidates.js';
import { countExclusions, explainExclusion } from '../../src/core/routing/explain-exclusion.js';
import { MONDAY_NOON_MSK, OFFICE_HOURS, lead, manager, managerId } from './routing-fixtures.js';

describe('explaining exclusions', () => {
  it('says in words why a manager did not get a lead', () => {
    expect(explainExclusion({ kind: 'absent', until: '2026-12-14' }, 'Anna Petrova')).toBe('Anna Petrova is away until 2026-12-14.');
    expect(explainExclusion({ kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '19:40' }, 'Vera Kim')).toBe(
      'Vera Kim is off hours (19:40 in Asia/Vladivostok).',
    );
    expect(explainExclusion({ kind: 'open_cap', open: 10, max: 10 })).toBe('The manager already has 10 open leads, the most allowed (10).');
    expect(explainExclusion({ kind: 'profile_mismatch', attribute: 'language', value: 'de' }, 'Boris')).toBe(
      'Boris does not cover the lead\'s language "de".',
    );
  });

  it('counts exclusions by reason in filter order', () => {
    expect(
      countExclusions([
        { managerId: managerId('a'), reason: { kind: 'off_hours', timeZone: 'UTC', localTime: '23:00' } },
        { managerId: managerId('b'), reason: { kind: 'paused' } },
        { managerId: managerId('c'), reason: { kind: 'off_hours', timeZone: 'UTC', localTime: '23:00' } },
      ]),
    ).toBe('1 paused, 2 off hours');
    expect(countExclusions([])).toBe('');
  });
});

describe('findCandidates', () => {
  it('lists a group\'s candidates for one lead and why the others were left out', () => {
    const managers = [
      manager('a', { workingHours: OFFICE_HOURS, languages: ['ru'] }),
      manager('b', { timeZone: 'Asia/Vladivostok', workingHours: OFFICE_HOURS }),
      manager('c', { maxPerDay: 5, load: { open: 0, today: 5 } }),
      manager('d', { languages: ['en'] }),
    ];
    const result = findCandidates({ kind: 'group', strategy: 'round_robin', match: ['language'] }, managers, {
      lead: lead({ language: 'RU' }),
      at: MONDAY_NOON_MSK,
    });
    expect(result.candidates.map((m) => m.id)).toEqual(['a']);
    expect(result.excluded.map((e) => [e.managerId, e.reason.kind])).toEqual([
      ['b', 'off_hours'],
      ['c', 'daily_cap'],
      ['d', 'profile_mismatch'],
    ]);
  });
});
