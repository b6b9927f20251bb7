import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readJson, writeJson } from '../../store/json.js';
import { teamExists } from '../../store/manager-queries.js';
import { findSetting, saveSetting } from '../../store/pool-queries.js';
import type { Database } from '../../store/schema.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';

/**
 * What happens to a lead a manager of the team registers (a client they found themselves):
 * keep — it stays with them as owner, no routing (the default); route — the rules decide, and the
 * manager stays recorded as its originator whoever gets it.
 */
export const REGISTERED_LEADS_MODES = ['keep', 'route'] as const;
export type RegisteredLeadsMode = (typeof REGISTERED_LEADS_MODES)[number];

export const teamLeadSettingsSchema = z.strictObject({
  registeredLeads: z.enum(REGISTERED_LEADS_MODES).describe('keep: a lead a manager registers stays with them; route: it goes through the rules like any other'),
});
export type TeamLeadSettings = z.infer<typeof teamLeadSettingsSchema>;

export const DEFAULT_TEAM_LEAD_SETTINGS: Readonly<TeamLeadSettings> = Object.freeze({ registeredLeads: 'keep' });

export interface TeamLeadSettingsView extends TeamLeadSettings {
  teamId: string;
  /** True while the team has not chosen and the default applies. */
  inherited: boolean;
}

const keyOf = (teamId: string): string => `team-leads:${teamId}`;

function parse(value: string | undefined): TeamLeadSettings | undefined {
  if (value === undefined) return undefined;
  const parsed = teamLeadSettingsSchema.safeParse(readJson<unknown>(value, null));
  return parsed.success ? parsed.data : undefined;
}

export async function teamLeadSettingsOf(db: Kysely<Database>, teamId: string): Promise<TeamLeadSettingsView> {
  const own = parse(await findSetting(db, keyOf(teamId)));
  return { teamId, inherited: own === undefined, ...(own ?? DEFAULT_TEAM_LEAD_SETTINGS) };
}

/** The mode of each team named (teams without a setting, and no team, keep). */
export async function registeredLeadsModes(db: Kysely<Database>, teamIds: ReadonlyArray<string | null>): Promise<Map<string | null, RegisteredLeadsMode>> {
  const modes = new Map<string | null, RegisteredLeadsMode>();
  const wanted = [...new Set(teamIds.filter((t): t is string => t !== null))];
  const rows = wanted.length === 0 ? [] : await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', wanted.map(keyOf)).execute();
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  for (const teamId of teamIds) modes.set(teamId, teamId === null ? 'keep' : (parse(byKey.get(keyOf(teamId)))?.registeredLeads ?? 'keep'));
  return modes;
}

/** An admin sets any team's; a head the own team's (as with the pool settings); others nobody's. */
async function assertMayEdit(db: Kysely<Database>, principal: Principal, teamId: string): Promise<void> {
  if (!(await teamExists(db, teamId))) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No team with id ${teamId}`);
  if (isAdmin(principal) || principal.kind !== 'user') return;
  if (principal.role !== 'head' || principal.teamId !== teamId) throw new LeadRouterError('LR_ERR_FORBIDDEN', "A head sets the own team's lead settings only");
}

export async function getTeamLeadSettings(ctx: AppContext, principal: Principal, teamId: string): Promise<TeamLeadSettingsView> {
  await assertMayEdit(ctx.store.db, principal, teamId);
  return await teamLeadSettingsOf(ctx.store.db, teamId);
}

export async function putTeamLeadSettings(ctx: AppContext, principal: Principal, teamId: string, input: TeamLeadSettings): Promise<TeamLeadSettingsView> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    await assertMayEdit(trx, principal, teamId);
    const before = await teamLeadSettingsOf(trx, teamId);
    const settings: TeamLeadSettings = { registeredLeads: input.registeredLeads };
    await saveSetting(trx, keyOf(teamId), writeJson(settings), ctx.now().toISOString());
    await recordAudit(ctx, trx, principal, [{ action: 'team_lead_settings.changed', entity: 'team', entityId: teamId, before: before.inherited ? null : { registeredLeads: before.registeredLeads }, after: settings }]);
    return { teamId, inherited: false, ...settings };
  });
}
