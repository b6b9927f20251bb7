import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chosenChannels, reachableChannels } from '../../src/core/notifications/channel-preferences.js';
import { afterFailure, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../../src/core/notifications/retry-schedule.js';

describe('retry schedule', () => {
  it('doubles from 10 s and stops growing at an hour', () => {
    expect([1, 2, 3, 4, 9, 10, 19].map((n) => retryDelayMs(n, 0.5))).toEqual([10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000]);
  });

  it('never waits less after more failures, stays within ±10% and under an hour, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (attempts, jitter) => {
        const delay = retryDelayMs(attempts, jitter);
        expect(delay).toBeGreaterThanOrEqual(9_000);
        expect(delay).toBeLessThanOrEqual(3_600_000);
        expect(retryDelayMs(attempts + 1, jitter)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });

  it('gives up after the last attempt only', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS - 1, now, 0.5)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 3_600_000).toISOString() });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS, now, 0.5)).toEqual({ kind: 'give_up' });
  });
});

describe('channel preferences', () => {
  it('defaults to in-app for everything and e-mail for what needs acting on', () => {
    expect(chosenChannels('lead.assigned', null)).toEqual(['in_app', 'email']);
    expect(chosenChannels('sla.warning', null)).toEqual(['in_app']);
    expect(chosenChannels('sla.warning', { 'sla.warning': [] })).toEqual([]);
    expect(chosenChannels('sla.warning', { 'lead.assigned': ['telegram'] })).toEqual(['in_app']);
  });

  it('sends Telegram only to a linked chat, and ignores a malformed stored choice', () => {
    const prefs = { 'lead.assigned': ['telegram', 'in_app'] } as const;
    expect(reachableChannels('lead.assigned', prefs, { email: 'a@example.test', telegramChatId: null })).toEqual(['in_app']);
    expect(reachableChannels('lead.assigned', prefs, { email: 'a@example.test', telegramChatId: '42' })).toEqual(['in_app', 'telegram']);
    expect(chosenChannels('lead.assigned', { 'lead.assigned': 'email' } as never)).toEqual(['in_app', 'email']);
  });
});
