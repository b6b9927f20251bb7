import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readJson, writeJson } from '../../store/json.js';
import { teamExists } from '../../store/manager-queries.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import type { StoredTerms } from '../../store/bonus-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/audit-trail.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

/**
 * A team's bonus settings (docs/motivation.md, "Bonus"): the originator's share, each control
 * point's weight, and an optional rate that turns credited value into bonus money. Percentages
 * with at most two decimals; the shares together at most 100 %. An admin sets them, the team's
 * head reads them; a team without its own uses the built-in defaults.
 */
export interface BonusSettings {
  originatorSharePercent: number;
  controlPointWeights: { presentation: number; proposal: number; contract: number };
  bonusRatePercent: number | null;
}

export const DEFAULT_BONUS_SETTINGS: Readonly<BonusSettings> = Object.freeze({
  originatorSharePercent: 20,
  controlPointWeights: Object.freeze({ presentation: 0, proposal: 0, contract: 0 }),
  bonusRatePercent: null,
});

const percent = z
  .number()
  .min(0)
  .max(100)
  .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, 'a percentage with at most two decimals');

export const bonusSettingsSchema = z.strictObject({
  originatorSharePercent: percent.describe("The originator's share of a deal someone else closed, in percent"),
  controlPointWeights: z.strictObject({ presentation: percent, proposal: percent, contract: percent }).describe('Each control point credits whoever reached it this percentage'),
  bonusRatePercent: percent.nullable().describe('Bonus money as a percentage of credited value; null: the report shows credited value only'),
});

export interface BonusSettingsView extends BonusSettings {
  teamId: string;
  /** True when the team has no settings of its own and uses the defaults. */
  inherited: boolean;
}

const keyOf = (teamId: string): string => `bonus:${teamId}`;
const bp = (percentValue: number): number => Math.round(percentValue * 100);

export function termsOf(s: BonusSettings): StoredTerms {
  return {
    originatorShareBp: bp(s.originatorSharePercent),
    controlPointWeightsBp: { presentation: bp(s.controlPointWeights.presentation), proposal: bp(s.controlPointWeights.proposal), contract: bp(s.controlPointWeights.contract) },
    rateBp: s.bonusRatePercent === null ? null : bp(s.bonusRatePercent),
  };
}

export async function bonusSettingsOf(db: Kysely<Database>, teamId: string | null): Promise<BonusSettings & { inherited: boolean }> {
  if (teamId === null) return { ...DEFAULT_BONUS_SETTINGS, controlPointWeights: { ...DEFAULT_BONUS_SETTINGS.controlPointWeights }, inherited: true };
  const stored = await findSetting(db, keyOf(teamId));
  const parsed = stored === undefined ? undefined : bonusSettingsSchema.safeParse(readJson<unknown>(stored, null));
  if (parsed?.success) return { ...parsed.data, inherited: false };
  return { ...DEFAULT_BONUS_SETTINGS, controlPointWeights: { ...DEFAULT_BONUS_SETTINGS.controlPointWeights }, inherited: true };
}

async function settingsTeam(db: Kysely<Database>, principal: Principal, teamId: string | undefined): Promise<string> {
  if (isAdmin(principal) || principal.kind !== 'user') {
    if (!teamId) throw new LeadRouterError('LR_ERR_VALIDATION', 'team: name the team whose bonus settings to read', [{ path: 'team', code: 'team_required', message: 'name the team' }]);
  } else {
    if (principal.role !== 'head' || !principal.teamId) throw new LeadRouterError('LR_ERR_FORBIDDEN', "Bonus settings are read by the team's head and set by an admin");
    if (teamId !== undefined && teamId !== principal.teamId) throw new LeadRouterError('LR_ERR_FORBIDDEN', "A head reads the own team's bonus settings only");
    teamId = principal.teamId;
  }
  if (!(await teamExists(db, teamId))) throw new LeadRouterError('LR_ERR_VALIDATION', `team: no team with id ${teamId}`, [{ path: 'team', code: 'unknown_team', message: `no team with id ${teamId}` }]);
  return teamId;
}

export async function getBonusSettings(ctx: AppContext, principal: Principal, teamId: string | undefined): Promise<BonusSettingsView> {
  const team = await settingsTeam(ctx.store.db, principal, teamId);
  return { teamId: team, ...(await bonusSettingsOf(ctx.store.db, team)) };
}

export async function putBonusSettings(ctx: AppContext, principal: Principal, teamId: string | undefined, input: BonusSettings): Promise<BonusSettingsView> {
  if (!isAdmin(principal)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'Only an administrator sets bonus settings');
  const given = bp(input.originatorSharePercent) + bp(input.controlPointWeights.presentation) + bp(input.controlPointWeights.proposal) + bp(input.controlPointWeights.contract);
  if (given > 10_000) {
    const message = `The originator's share and the control point weights add up to ${given / 100}%; together they may be at most 100% (the closer gets the rest)`;
    throw new LeadRouterError('LR_ERR_VALIDATION', message, [{ path: 'originatorSharePercent', code: 'shares_exceed_100', message }]);
  }
  return await ctx.store.db.transaction().execute(async (trx) => {
    const team = await settingsTeam(trx, principal, teamId);
    const before = await bonusSettingsOf(trx, team);
    const settings: BonusSettings = {
      originatorSharePercent: input.originatorSharePercent,
      controlPointWeights: { presentation: input.controlPointWeights.presentation, proposal: input.controlPointWeights.proposal, contract: input.controlPointWeights.contract },
      bonusRatePercent: input.bonusRatePercent,
    };
    await saveSetting(trx, keyOf(team), writeJson(settings), ctx.now().toISOString());
    const { inherited, ...beforeSettings } = before;
    await recordAudit(ctx, trx, principal, [{ action: 'bonus_settings.changed', entity: 'settings', entityId: keyOf(team), before: inherited ? null : beforeSettings, after: settings }]);
    return { teamId: team, inherited: false, ...settings };
  });
}
