import { describe, expect, it } from 'vitest';
import type { SourceHealthSettings } from '../../web/src/features/source-health/source-health-api.js';
import { clampPeriod } from '../../web/src/features/source-health/source-health-view.js';
import { formOf, settingsOf } from '../../web/src/features/source-health/thresholds-form.js';

const SETTINGS: SourceHealthSettings = {
  timeZone: 'Europe/Moscow',
  lookbackWeeks: 6,
  junkWindowHours: 24,
  minHistoryDays: 7,
  defaults: { alerts: true, minExpectedPerHour: 1, silenceHours: 3, maxProbability: 0.05, junkRateJump: 0.25, minJunkSample: 10 },
  sources: { partner: { silenceHours: 6, junkRateJump: 0.15 }, test: { alerts: false } },
  knownSources: [
    { source: 'partner', thresholds: { alerts: true, minExpectedPerHour: 1, silenceHours: 6, maxProbability: 0.05, junkRateJump: 0.15, minJunkSample: 10 }, own: true },
    { source: 'test', thresholds: { alerts: false, minExpectedPerHour: 1, silenceHours: 3, maxProbability: 0.05, junkRateJump: 0.25, minJunkSample: 10 }, own: true },
    { source: 'web', thresholds: { alerts: true, minExpectedPerHour: 1, silenceHours: 3, maxProbability: 0.05, junkRateJump: 0.25, minJunkSample: 10 }, own: false },
  ],
};

describe('source health in the dashboard', () => {
  it('shows at most the last 31 days of a period hourly', () => {
    expect(clampPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31', clamped: false });
    expect(clampPeriod('2026-01-01', '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31', clamped: true });
  });

  it('edits the junk rise in percentage points and sends only what a source sets', () => {
    const form = formOf(SETTINGS);
    expect(form.defaults.junkRateJump).toBe(25);
    expect(form.sources.partner).toMatchObject({ silenceHours: 6, junkRateJump: 15, minExpectedPerHour: '', alerts: '' });
    expect(form.sources.test?.alerts).toBe('off');
    expect(form.sources.web).toMatchObject({ silenceHours: '', alerts: '' });
    const { knownSources: _known, ...stored } = SETTINGS;
    expect(settingsOf(form)).toEqual(stored);
    form.sources.web = { ...form.sources.web, silenceHours: 2, alerts: 'on' };
    form.defaults.junkRateJump = 30;
    expect(settingsOf(form)).toMatchObject({ defaults: { junkRateJump: 0.3 }, sources: { web: { silenceHours: 2, alerts: true } } });
  });
});
