import type { SourceHealthSettings, SourceHealthSettingsInput } from './source-health-api';

/** The per-source thresholds the table edits, in its column order; the junk rise in percentage points. */
export const THRESHOLD_FIELDS = ['minExpectedPerHour', 'silenceHours', 'junkRateJump', 'minJunkSample'] as const;
type Field = (typeof THRESHOLD_FIELDS)[number];

/** What the dialog edits: numbers as typed ('' = not set, for a source: as by default). */
export interface ThresholdsForm {
  general: { timeZone: string; lookbackWeeks: number | string; junkWindowHours: number | string; minHistoryDays: number | string };
  defaults: Record<Field, number | string> & { alerts: boolean; maxProbability: number | string };
  /** Per source: '' or a number per field; alerts '', 'on' or 'off'. */
  sources: Record<string, Partial<Record<Field, number | string>> & { alerts?: '' | 'on' | 'off' }>;
}

const toPoints = (share: number) => Math.round(share * 10_000) / 100;
const toShare = (points: number) => Math.round(points * 100) / 10_000;

export function formOf(settings: SourceHealthSettings): ThresholdsForm {
  const sources: ThresholdsForm['sources'] = {};
  for (const { source } of settings.knownSources) {
    const own = settings.sources[source] ?? {};
    const row: ThresholdsForm['sources'][string] = { alerts: own.alerts === undefined ? '' : own.alerts ? 'on' : 'off' };
    for (const f of THRESHOLD_FIELDS) {
      const v = own[f];
      row[f] = v === undefined ? '' : f === 'junkRateJump' ? toPoints(v) : v;
    }
    sources[source] = row;
  }
  const d = settings.defaults;
  return {
    general: { timeZone: settings.timeZone, lookbackWeeks: settings.lookbackWeeks, junkWindowHours: settings.junkWindowHours, minHistoryDays: settings.minHistoryDays },
    defaults: { alerts: d.alerts, maxProbability: d.maxProbability, minExpectedPerHour: d.minExpectedPerHour, silenceHours: d.silenceHours, junkRateJump: toPoints(d.junkRateJump), minJunkSample: d.minJunkSample },
    sources,
  };
}

/**
 * The settings to send. A blank or unparsable number is sent as it is (NaN for a default, which
 * the server refuses naming the field); a source's blank field is left out (as by default).
 */
export function settingsOf(form: ThresholdsForm): SourceHealthSettingsInput {
  const num = (v: number | string) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));
  const value = (f: Field, v: number | string) => (f === 'junkRateJump' ? toShare(num(v)) : num(v));
  const sources: SourceHealthSettingsInput['sources'] = {};
  for (const [source, row] of Object.entries(form.sources)) {
    const own: SourceHealthSettingsInput['sources'][string] = {};
    if (row.alerts === 'on' || row.alerts === 'off') own.alerts = row.alerts === 'on';
    for (const f of THRESHOLD_FIELDS) {
      const v = row[f];
      if (v !== undefined && v !== '') own[f] = value(f, v);
    }
    if (Object.keys(own).length > 0) sources[source] = own;
  }
  return {
    timeZone: form.general.timeZone.trim(),
    lookbackWeeks: num(form.general.lookbackWeeks),
    junkWindowHours: num(form.general.junkWindowHours),
    minHistoryDays: num(form.general.minHistoryDays),
    defaults: {
      alerts: form.defaults.alerts,
      maxProbability: num(form.defaults.maxProbability),
      minExpectedPerHour: value('minExpectedPerHour', form.defaults.minExpectedPerHour),
      silenceHours: value('silenceHours', form.defaults.silenceHours),
      junkRateJump: value('junkRateJump', form.defaults.junkRateJump),
      minJunkSample: value('minJunkSample', form.defaults.minJunkSample),
    },
    sources,
  };
}
