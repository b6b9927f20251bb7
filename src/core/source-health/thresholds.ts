import type { JunkThresholds, SilenceThresholds } from './usual-volume.js';

/** What decides an incident for one source. */
export interface SourceThresholds extends SilenceThresholds, JunkThresholds {
  /** false: the source is watched and reported, but never alerts. */
  alerts: boolean;
}

export interface SourceHealthSettings {
  /** The company's IANA zone: hours of the week are counted in it. */
  timeZone: string;
  /** Whole weeks before today the usual volume is counted over. */
  lookbackWeeks: number;
  /** Hours of recent leads whose junk share is compared with the usual one. */
  junkWindowHours: number;
  /** Days of history a source needs before it may alert (a new source has no usual yet). */
  minHistoryDays: number;
  defaults: SourceThresholds;
  /** Per source (as leads name it): only what differs from the defaults. */
  sources: Record<string, Partial<SourceThresholds>>;
}

export const DEFAULT_THRESHOLDS: SourceThresholds = {
  alerts: true,
  minExpectedPerHour: 1,
  silenceHours: 3,
  maxProbability: 0.05,
  junkRateJump: 0.25,
  minJunkSample: 10,
};

export const DEFAULT_SOURCE_HEALTH_SETTINGS: SourceHealthSettings = {
  timeZone: 'Europe/Moscow',
  lookbackWeeks: 6,
  junkWindowHours: 24,
  minHistoryDays: 7,
  defaults: DEFAULT_THRESHOLDS,
  sources: {},
};

/** The thresholds that apply to a source: its own where set, the defaults elsewhere. */
export function thresholdsOf(settings: SourceHealthSettings, source: string): SourceThresholds {
  const own = settings.sources[source] ?? {};
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as Partial<SourceThresholds>;
  return { ...settings.defaults, ...defined };
}
