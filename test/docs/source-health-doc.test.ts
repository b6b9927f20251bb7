import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE_HEALTH_SETTINGS } from '../../src/core/source-health/thresholds.js';
import { silenceProbability } from '../../src/core/source-health/usual-volume.js';

describe('docs/reports.md, "Source health"', () => {
  const doc = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Source health'));

  it('names every setting and threshold with the default the code uses', () => {
    const { defaults, sources: _sources, timeZone, ...rest } = DEFAULT_SOURCE_HEALTH_SETTINGS;
    expect(section).toContain(`(${timeZone} by default)`);
    for (const [key, value] of Object.entries({ ...rest, ...defaults })) {
      if (key === 'alerts') expect(section).toContain('`alerts: false`');
      else expect(section, key).toContain(`\`${key}\` (${value})`);
    }
  });

  it('its worked example holds: three own hours at one lead an hour are unlikely enough by default', () => {
    expect(section).toContain('e^(−3) ≈ 0.0498');
    expect(silenceProbability(3)).toBeCloseTo(0.0498, 4);
    expect(silenceProbability(3)).toBeLessThanOrEqual(DEFAULT_SOURCE_HEALTH_SETTINGS.defaults.maxProbability);
  });
});
