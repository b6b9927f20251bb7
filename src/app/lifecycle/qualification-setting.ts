import type { Kysely } from 'kysely';
import { QUALIFICATION_OFF, type QualificationSetting } from '../../core/lifecycle/qualification.js';
import { readJson, writeJson } from '../../store/json.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { settingsChanged, settingsGeneration } from '../settings-generation.js';

export const QUALIFICATION_SETTING_KEY = 'qualification';

const TTL_MS = 5_000;
const cached = new WeakMap<Kysely<Database>, { at: number; generation: number; setting: QualificationSetting }>();

/**
 * Intake asks for every batch, outside the routing lock, so the setting is kept a few
 * seconds per database: a change made in this process applies at once, one made by another
 * process within the TTL.
 */
export async function loadQualificationSetting(db: Kysely<Database>, at: Date): Promise<QualificationSetting> {
  const hit = cached.get(db);
  if (hit && hit.generation === settingsGeneration() && Math.abs(at.getTime() - hit.at) < TTL_MS) return hit.setting;
  const setting = readJson<QualificationSetting>(await findSetting(db, QUALIFICATION_SETTING_KEY), QUALIFICATION_OFF);
  cached.set(db, { at: at.getTime(), generation: settingsGeneration(), setting });
  return setting;
}

export async function qualificationSetting(ctx: AppContext): Promise<QualificationSetting> {
  return readJson<QualificationSetting>(await findSetting(ctx.store.db, QUALIFICATION_SETTING_KEY), QUALIFICATION_OFF);
}

export async function changeQualificationSetting(ctx: AppContext, principal: Principal, input: QualificationSetting): Promise<QualificationSetting> {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator turns qualification on or off');
  const setting: QualificationSetting = { enabled: input.enabled, ...(input.sources && input.sources.length > 0 ? { sources: [...new Set(input.sources.map((s) => s.toLowerCase()))] } : {}) };
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = readJson<QualificationSetting | null>(await findSetting(trx, QUALIFICATION_SETTING_KEY), null);
    await saveSetting(trx, QUALIFICATION_SETTING_KEY, writeJson(setting), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'settings.qualification_changed', entity: 'settings', entityId: QUALIFICATION_SETTING_KEY, before, after: setting }]);
  });
  cached.delete(ctx.store.db);
  settingsChanged();
  return setting;
}
