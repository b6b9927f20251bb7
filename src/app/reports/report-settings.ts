import { z } from 'zod';
import { isTimeZone } from '../../core/reports/period.js';
import { readJson, writeJson } from '../../store/json.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

export const REPORT_SETTINGS_KEY = 'reports';

/**
 * How reports read: the company's default time zone (periods of askers without a team, and of
 * admins who name no team) and whether a manager sees teammates' figures by name or anonymised.
 */
export interface ReportSettings {
  timeZone: string;
  /** false (the default): a manager sees the own row by name and colleagues' rows without names. */
  teamFiguresNamed: boolean;
}

export const DEFAULT_REPORT_SETTINGS: Readonly<ReportSettings> = Object.freeze({ timeZone: 'Europe/Moscow', teamFiguresNamed: false });

export const reportSettingsSchema = z.strictObject({
  timeZone: z.string().trim().min(1).max(100).refine(isTimeZone, 'an IANA time zone such as Europe/Moscow').optional(),
  teamFiguresNamed: z.boolean().optional().describe("true: managers see their colleagues' figures by name; false: anonymised"),
});
export type ReportSettingsPatch = z.infer<typeof reportSettingsSchema>;

export async function reportSettings(ctx: AppContext): Promise<ReportSettings> {
  return { ...DEFAULT_REPORT_SETTINGS, ...readJson<Partial<ReportSettings>>(await findSetting(ctx.store.db, REPORT_SETTINGS_KEY), {}) };
}

export async function changeReportSettings(ctx: AppContext, principal: Principal, patch: ReportSettingsPatch): Promise<ReportSettings> {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator changes how reports read');
  return await ctx.store.db.transaction().execute(async (trx) => {
    const before = { ...DEFAULT_REPORT_SETTINGS, ...readJson<Partial<ReportSettings>>(await findSetting(trx, REPORT_SETTINGS_KEY), {}) };
    const after: ReportSettings = { timeZone: patch.timeZone ?? before.timeZone, teamFiguresNamed: patch.teamFiguresNamed ?? before.teamFiguresNamed };
    await saveSetting(trx, REPORT_SETTINGS_KEY, writeJson(after), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'settings.reports_changed', entity: 'settings', entityId: REPORT_SETTINGS_KEY, before, after }]);
    return after;
  });
}
