import type { Kysely } from 'kysely';
import { teamExists } from '../../store/manager-queries.js';
import type { Database } from '../../store/schema.js';
import {
  deleteHoliday,
  deleteSlaPolicy,
  findHoliday,
  findSlaPolicy,
  insertHoliday,
  insertSlaPolicy,
  leadIdsOnSlaPolicy,
  leadIdsWithClockDueSince,
  listHolidays,
  listSlaPolicies,
  updateSlaPolicy,
  type Holiday,
  type SlaPolicyRecord,
} from '../../store/sla-queries.js';
import type { Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { rearmSla } from './sla-clock.js';
import type { HolidayInput, SlaPolicyInput, SlaPolicyPatch } from './sla-input.js';
import { invalidateSlaSettings } from './sla-settings-cache.js';

export async function slaPolicies(ctx: AppContext): Promise<SlaPolicyRecord[]> {
  return await listSlaPolicies(ctx.store.db);
}

export async function createSlaPolicy(ctx: AppContext, principal: Principal, input: SlaPolicyInput): Promise<SlaPolicyRecord> {
  return await changeSettings(ctx, async (trx) => {
    await requireTeams(trx, input.match?.teamIds);
    const at = ctx.now().toISOString();
    const position = input.position ?? (await listSlaPolicies(trx)).reduce((max, p) => Math.max(max, p.position + 1), 0);
    const policy: SlaPolicyRecord = {
      id: ctx.newId(),
      name: input.name,
      position,
      match: input.match ?? {},
      firstContactMinutes: input.firstContactMinutes,
      nextStepMinutes: input.nextStepMinutes ?? null,
      warnBeforeMinutes: input.warnBeforeMinutes ?? null,
      maxReassignments: input.maxReassignments ?? 1,
      onExhausted: input.onExhausted ?? 'head',
      active: input.active ?? true,
      createdAt: at,
      updatedAt: at,
    };
    await insertSlaPolicy(trx, policy);
    await recordAudit(ctx, trx, principal, [{ action: 'sla_policy.created', entity: 'sla_policy', entityId: policy.id, after: policy }]);
    return policy;
  });
}

/** A changed policy applies at once to the leads whose clock it runs. */
export async function changeSlaPolicy(ctx: AppContext, principal: Principal, id: string, patch: SlaPolicyPatch): Promise<SlaPolicyRecord> {
  return await changeSettings(ctx, async (trx) => {
    const before = await requirePolicy(trx, id);
    await requireTeams(trx, patch.match?.teamIds);
    const after: SlaPolicyRecord = { ...before, ...patch, updatedAt: ctx.now().toISOString() };
    await updateSlaPolicy(trx, after);
    await recordAudit(ctx, trx, principal, [{ action: 'sla_policy.changed', entity: 'sla_policy', entityId: id, before, after }]);
    await rearmSla(ctx, trx, await leadIdsOnSlaPolicy(trx, id), ctx.now());
    return after;
  });
}

/** Leads on a removed policy move to the next policy that fits them, or lose their clock. */
export async function removeSlaPolicy(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await changeSettings(ctx, async (trx) => {
    const before = await requirePolicy(trx, id);
    const affected = await leadIdsOnSlaPolicy(trx, id);
    await trx.updateTable('leads').set({ sla_policy_id: null }).where('sla_policy_id', '=', id).execute();
    await deleteSlaPolicy(trx, id);
    await recordAudit(ctx, trx, principal, [{ action: 'sla_policy.deleted', entity: 'sla_policy', entityId: id, before }]);
    await rearmSla(ctx, trx, affected, ctx.now());
  });
}

export async function holidays(ctx: AppContext): Promise<Holiday[]> {
  return await listHolidays(ctx.store.db);
}

export async function addHoliday(ctx: AppContext, principal: Principal, input: HolidayInput): Promise<Holiday> {
  return await changeSettings(ctx, async (trx) => {
    const teamId = input.teamId ?? null;
    await requireTeams(trx, teamId ? [teamId] : undefined);
    const same = (await listHolidays(trx, input.day)).find((h) => h.day === input.day && h.teamId === teamId);
    if (same) throw new LeadRouterError('LR_ERR_CONFLICT', `${input.day} is already a holiday${teamId ? ` for team ${teamId}` : ''} (${same.name})`);
    const holiday: Holiday = { id: ctx.newId(), day: input.day, name: input.name, teamId, createdAt: ctx.now().toISOString() };
    await insertHoliday(trx, holiday);
    await recordAudit(ctx, trx, principal, [{ action: 'holiday.created', entity: 'holiday', entityId: holiday.id, after: holiday }]);
    await rearmAround(ctx, trx, holiday.day);
    return holiday;
  });
}

export async function removeHoliday(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await changeSettings(ctx, async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No holiday with id ${id}`);
    await deleteHoliday(trx, id);
    await recordAudit(ctx, trx, principal, [{ action: 'holiday.deleted', entity: 'holiday', entityId: id, before }]);
    await rearmAround(ctx, trx, before.day);
  });
}

/** Running clocks due from the day before the holiday on (zones run up to 14 hours apart) may move. */
async function rearmAround(ctx: AppContext, trx: Kysely<Database>, day: string): Promise<void> {
  const since = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString();
  await rearmSla(ctx, trx, await leadIdsWithClockDueSince(trx, since), ctx.now());
}

/**
 * Runs a change of policies or holidays in a transaction. The cached settings are dropped
 * before re-arming (so it reads the change) and again after commit or rollback (so nothing
 * uncommitted stays cached).
 */
async function changeSettings<T>(ctx: AppContext, change: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return await ctx.store.db.transaction().execute(async (trx) => {
      invalidateSlaSettings(ctx.store.db);
      return await change(trx);
    });
  } finally {
    invalidateSlaSettings(ctx.store.db);
  }
}

async function requirePolicy(db: Kysely<Database>, id: string): Promise<SlaPolicyRecord> {
  const policy = await findSlaPolicy(db, id);
  if (!policy) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No SLA policy with id ${id}`);
  return policy;
}

async function requireTeams(db: Kysely<Database>, teamIds: string[] | undefined): Promise<void> {
  for (const teamId of teamIds ?? []) {
    if (!(await teamExists(db, teamId))) {
      throw new LeadRouterError('LR_ERR_VALIDATION', `No team with id ${teamId}`, [{ path: 'teamId', code: 'unknown_team', message: `no team with id ${teamId}` }]);
    }
  }
}
