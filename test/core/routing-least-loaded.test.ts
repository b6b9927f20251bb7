import { describe, expect, it } from 'vitest';
import { type LeastLoadedCandidate, chooseLeastLoaded } from '../../src/core/routing/least-loaded.js';

const candidate = (id: string, open: number, maxOpen: number | null, extra: { today?: number; lastAssignedAt?: number | null } = {}): LeastLoadedCandidate => ({
  id,
  load: { open, today: extra.today ?? 0 },
  maxOpen,
  state: { credit: 0, assigned: 0, lastAssignedAt: extra.lastAssignedAt ?? null },
});

describe('least loaded', () => {
  it('a manager with zero open leads is the least loaded, not invisible', () => {
    const list = [candidate('busy', 5, 10), candidate('idle', 0, 10), candidate('medium', 2, 10)];
    expect(chooseLeastLoaded(list, 1)).toEqual({ index: 1, loadRatio: 0 });
  });

  it('compares load against each manager\'s own capacity', () => {
    // 6 of 30 (0.2) is lighter than 3 of 10 (0.3); no cap counts as a capacity of 100.
    expect(chooseLeastLoaded([candidate('small', 3, 10), candidate('large', 6, 30)], 1).index).toBe(1);
    expect(chooseLeastLoaded([candidate('capped', 3, 10), candidate('uncapped', 20, null)], 1).index).toBe(1);
  });

  it('ties go to the least recently assigned, never-assigned first, then fewer leads today, then id', () => {
    expect(chooseLeastLoaded([candidate('a', 1, 10, { lastAssignedAt: 50 }), candidate('b', 1, 10, { lastAssignedAt: 20 })], 99).index).toBe(1);
    expect(chooseLeastLoaded([candidate('a', 1, 10, { lastAssignedAt: 5 }), candidate('b', 1, 10)], 99).index).toBe(1);
    expect(chooseLeastLoaded([candidate('a', 1, 10, { today: 4 }), candidate('b', 1, 10, { today: 2 })], 99).index).toBe(1);
    expect(chooseLeastLoaded([candidate('b', 1, 10), candidate('a', 1, 10)], 99).index).toBe(1);
  });

  it('records the assignment on the winner and leaves credit alone', () => {
    const list = [candidate('a', 0, 10)];
    chooseLeastLoaded(list, 1234);
    expect(list[0]?.state).toEqual({ credit: 0, assigned: 1, lastAssignedAt: 1234 });
  });
});
