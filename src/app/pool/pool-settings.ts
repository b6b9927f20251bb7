import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '../../core/pool/claim-limits.js';
import { readJson, writeJson } from '../../store/json.js';
import { teamExists } from '../../store/manager-queries.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { teamOfManager } from '../transfers/transfer-access.js';

export const poolSettingsSchema = z.strictObject({
  mode: z.enum(['pick', 'take_next']).describe('pick: managers choose from the list; take_next: they get the next lead in order'),
  order: z.enum(['oldest', 'score']).describe('Which lead comes first: the oldest, or the highest score'),
  claimsPerHour: z.number().int().min(1).max(1000).describe('Claims per manager in any rolling hour'),
});

export interface PoolSettingsView extends PoolSettings {
  /** null: the default for teams without their own. */
  teamId: string | null;
  /** True when the team has no settings of its own and uses the default. */
  inherited: boolean;
}

const keyOf = (teamId: string | null): string => (teamId ? `pool:${teamId}` : 'pool:default');

function parse(value: string | undefined): PoolSettings | undefined {
  if (value === undefined) return undefined;
  const parsed = poolSettingsSchema.safeParse(readJson<unknown>(value, null));
  return parsed.success ? parsed.data : undefined;
}

/** The team's settings, else the default ones, else the built-in defaults. */
export async function poolSettingsOf(db: Kysely<Database>, teamId: string | null): Promise<PoolSettingsView> {
  const own = teamId ? parse(await findSetting(db, keyOf(teamId))) : undefined;
  if (own) return { teamId, inherited: false, ...own };
  const fallback = parse(await findSetting(db, keyOf(null))) ?? DEFAULT_POOL_SETTINGS;
  return { teamId, inherited: teamId !== null, ...fallback };
}

/**
 * Whose pool rules apply to a person: the team a head runs; for anyone with a routing profile
 * the profile's current team (people move between teams, and the user's team was only copied
 * when the account was made); else the user's team.
 */
export async function teamOfPrincipal(db: Kysely<Database>, principal: Principal): Promise<string | null> {
  if (principal.kind !== 'user') return null;
  if (principal.role === 'head' && principal.teamId !== null) return principal.teamId;
  if (principal.managerId !== null) return await teamOfManager(db, principal.managerId);
  return principal.teamId;
}

/** A head reads and sets the own team's settings; an admin any team's, or the default without a team. */
async function settingsTeam(db: Kysely<Database>, principal: Principal, teamId: string | undefined): Promise<string | null> {
  if (isAdmin(principal) || principal.kind !== 'user') {
    if (teamId && !(await teamExists(db, teamId))) throw new LeadRouterError('LR_ERR_VALIDATION', `No team with id ${teamId}`, [{ path: 'teamId', code: 'unknown_team', message: `no team with id ${teamId}` }]);
    return teamId ?? null;
  }
  const own = await teamOfPrincipal(db, principal);
  if (!own) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'You run no team; ask an admin to set the pool defaults');
  if (teamId !== undefined && teamId !== own) throw new LeadRouterError('LR_ERR_FORBIDDEN', "A head sets the pool of the own team only");
  return own;
}

export async function getPoolSettings(ctx: AppContext, principal: Principal, teamId: string | undefined): Promise<PoolSettingsView> {
  return await poolSettingsOf(ctx.store.db, await settingsTeam(ctx.store.db, principal, teamId));
}

export async function putPoolSettings(ctx: AppContext, principal: Principal, teamId: string | undefined, input: PoolSettings): Promise<PoolSettingsView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const team = await settingsTeam(trx, principal, teamId);
    const before = await poolSettingsOf(trx, team);
    const settings: PoolSettings = { mode: input.mode, order: input.order, claimsPerHour: input.claimsPerHour };
    await saveSetting(trx, keyOf(team), writeJson(settings), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'pool_settings.changed', entity: 'settings', entityId: keyOf(team), before: before.inherited ? null : before, after: settings }]);
    return { teamId: team, inherited: false, ...settings };
  });
}
