import type { Kysely } from 'kysely';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DEFAULT_SOURCE_HEALTH_SETTINGS, type SourceHealthSettings } from '../../core/source-health/thresholds.js';
import { readJson, writeJson } from '../../store/json.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';

export const SOURCE_HEALTH_SETTING_KEY = 'source_health';

const thresholdFields = {
  alerts: z.boolean().describe('false: the source is watched and reported but never alerts'),
  minExpectedPerHour: z.number().min(0.01).max(100_000).describe("An hour of the week is one of the source's own hours when it usually sends at least this many leads then; alerts go out only in its own hours"),
  silenceHours: z.number().min(0.25).max(168).describe('Own hours without a lead before a silence counts'),
  maxProbability: z.number().gt(0).max(1).describe('A silence (Poisson, e^(−expected)) or a junk share (binomial tail) must be at most this likely by chance to count'),
  junkRateJump: z.number().gt(0).max(1).describe('The recent junk share must exceed the usual one by this much (0.25 = 25 percentage points)'),
  minJunkSample: z.number().int().min(1).max(100_000).describe('Leads needed, recently and in the history, before a junk share is judged'),
};

export const sourceThresholdsSchema = z.strictObject(thresholdFields);
export const sourceOverridesSchema = z.strictObject(thresholdFields).partial();

export const sourceHealthSettingsSchema = z.strictObject({
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/Moscow')
    .describe("The company's time zone: hours of the week are counted in it"),
  lookbackWeeks: z.number().int().min(1).max(26).describe('Whole weeks before today the usual volume is counted over'),
  junkWindowHours: z.number().int().min(1).max(24 * 14).describe("Hours of recent leads whose junk share is compared with the source's usual one"),
  minHistoryDays: z.number().int().min(0).max(182).describe('Days of history a source needs before it may alert'),
  defaults: sourceThresholdsSchema.describe('Thresholds of every source without its own'),
  sources: z
    .record(z.string().min(1).max(200), sourceOverridesSchema)
    .refine((r) => Object.keys(r).length <= 500, 'at most 500 sources')
    .describe('Per source, as leads name it: only the thresholds that differ from the defaults'),
});

/** The stored settings, else the built-in defaults; a stored document that no longer parses counts as unset. */
export async function loadSourceHealthSettings(db: Kysely<Database>): Promise<SourceHealthSettings> {
  const stored = await findSetting(db, SOURCE_HEALTH_SETTING_KEY);
  if (stored === undefined) return DEFAULT_SOURCE_HEALTH_SETTINGS;
  const parsed = sourceHealthSettingsSchema.safeParse(readJson<unknown>(stored, null));
  return parsed.success ? (parsed.data as SourceHealthSettings) : DEFAULT_SOURCE_HEALTH_SETTINGS;
}

/** Replaces the settings (admins and heads), audited. */
export async function putSourceHealthSettings(ctx: AppContext, principal: Principal, input: SourceHealthSettings): Promise<SourceHealthSettings> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = await loadSourceHealthSettings(trx);
    // Empty overrides say nothing: they are dropped rather than kept as noise.
    const sources = Object.fromEntries(Object.entries(input.sources).filter(([, o]) => Object.values(o).some((v) => v !== undefined)));
    const settings: SourceHealthSettings = { ...input, sources };
    await saveSetting(trx, SOURCE_HEALTH_SETTING_KEY, writeJson(settings), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'source_health_settings.changed', entity: 'settings', entityId: SOURCE_HEALTH_SETTING_KEY, before, after: settings }]);
    return settings;
  });
}
