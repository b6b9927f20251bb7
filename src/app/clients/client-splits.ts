import type { Kysely } from 'kysely';
import { z } from 'zod';
import { checkSplitMethod, planSplit, type PlannedCompany, type SplitManager, type SplitMethod } from '../../core/clients/split-plan.js';
import { clientSearchTerms } from '../../core/matching/client-search.js';
import type { CountryCode } from '../../core/normalize/index.js';
import { insertOwnerHistory, listCompanies, type ClientListFilter } from '../../store/client-base-queries.js';
import {
  clientSplitEntries,
  companyOwners,
  findClientSplit,
  insertClientSplit,
  listClientSplits,
  markClientSplitUndone,
  setCompanyOwners,
  splitCompanies,
  type ClientSplitRecord,
  type SplitCompanyRow,
} from '../../store/client-split-queries.js';
import type { Database } from '../../store/schema.js';
import { actorName, isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { clientWriteScope, teamManagerIds, type ClientWriteScope } from './client-common.js';

/**
 * Splitting a client base among managers (issue 14 §3): a head (the own team's managers and the
 * companies that are nobody's or the team's) or an admin chooses companies, managers and a
 * method; the preview says what would happen, apply does it in one transaction (an audit record,
 * an owner-history entry per company, and the owners before kept with the split), undo gives
 * each company back the owner it had, unless someone changed it since.
 */

/** A split takes at most this many companies at once. */
export const MAX_SPLIT_COMPANIES = 100_000;

const id = z.string().trim().min(1).max(100);
const letters = z.string().trim().min(1).max(20);

export const splitMethodSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('alphabet'),
    ranges: z.array(z.strictObject({ letters: letters.describe('«А-К», «Л-Я», «A-M», one letter «Ж»; Ё is Е'), managerId: id })).min(1).max(100),
  }),
  z.strictObject({ kind: z.literal('territory'), regions: z.array(z.strictObject({ region: z.string().trim().min(1).max(200), managerId: id })).min(1).max(500) }),
  z.strictObject({
    kind: z.literal('tier'),
    by: z.enum(['size', 'revenue']).describe('size: employees; revenue: yearly revenue'),
    threshold: z.number().positive().describe('A company with at least this is VIP'),
    vipManagerIds: z.array(id).min(1).max(50).describe('VIP companies go evenly by weight to these; the rest to the other chosen managers'),
  }),
  z.strictObject({ kind: z.literal('even') }),
]);

export const splitSelectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unowned').describe('Every company nobody owns') }),
  z.strictObject({
    kind: z.literal('filter'),
    q: z.string().trim().max(200).optional().describe('As the company list searches: name, ИНН, phone, e-mail, domain'),
    ownerId: id.optional().describe('A manager id, or "none"'),
    teamId: id.optional(),
  }),
  z.strictObject({ kind: z.literal('import'), importId: id.describe('The companies a company import brought or matched') }),
  z.strictObject({ kind: z.literal('ids'), ids: z.array(id).min(1).max(MAX_SPLIT_COMPANIES) }),
]);

export const splitInputSchema = z.strictObject({
  selection: splitSelectionSchema,
  managerIds: z.array(id).min(1).max(50),
  weights: z.record(z.string(), z.number().min(0).max(1000)).optional().describe("A manager's share in an even split (default: the manager's routing weight)"),
  method: splitMethodSchema,
  existing: z.enum(['keep', 'overwrite']).default('keep').describe('A company that has an owner: keep it (default), or give it by the split'),
});

export type SplitInput = z.infer<typeof splitInputSchema>;

interface SplitManagerInfo extends SplitManager {
  name: string;
}

interface Plan {
  managers: SplitManagerInfo[];
  total: number;
  /** The owner each company ends with, by the method and the keep / overwrite choice. */
  final: Array<PlannedCompany & { change: boolean }>;
  /** Owned companies the method would give to someone else (kept or overwritten as chosen). */
  conflicts: PlannedCompany[];
  /** Companies owned by another team's manager: a head's split leaves them out. */
  outOfScope: number;
}

async function managersOf(db: Kysely<Database>, scope: ClientWriteScope, ids: readonly string[], weights: Record<string, number> | undefined): Promise<SplitManagerInfo[]> {
  const unique = [...new Set(ids)];
  const rows = await db.selectFrom('managers').select(['id', 'name', 'weight', 'active']).where('id', 'in', unique).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const issues = unique.flatMap((mid, i) => {
    const row = byId.get(mid);
    if (!row || Number(row.active) !== 1) return [{ path: `managerIds.${i}`, code: 'unknown_manager', message: `No active manager with id ${mid}` }];
    if (scope.kind === 'team' && !scope.managerIds.has(mid)) return [{ path: `managerIds.${i}`, code: 'other_team', message: `${row.name} is not in your team` }];
    return [];
  });
  if (issues.length > 0) throw new LeadRouterError(issues.some((i) => i.code === 'other_team') ? 'LR_ERR_FORBIDDEN' : 'LR_ERR_VALIDATION', issues.map((i) => i.message).join('; '), issues);
  return unique.map((mid) => {
    const row = byId.get(mid) as { id: string; name: string; weight: number };
    return { id: row.id, name: row.name, weight: weights?.[mid] ?? Math.max(0, Number(row.weight)) };
  });
}

async function selectedCompanies(ctx: AppContext, db: Kysely<Database>, principal: Principal, selection: SplitInput['selection']): Promise<SplitCompanyRow[]> {
  if (selection.kind === 'unowned') return await splitCompanies(db, { kind: 'unowned' }, MAX_SPLIT_COMPANIES + 1);
  if (selection.kind === 'ids') return await splitCompanies(db, { kind: 'ids', ids: selection.ids }, MAX_SPLIT_COMPANIES + 1);
  if (selection.kind === 'import') {
    const job = await db.selectFrom('import_jobs').select(['id', 'kind', 'created_by']).where('id', '=', selection.importId).executeTakeFirst();
    const mine = principal.kind === 'user' ? principal.userId : actorName(principal);
    if (!job || (!isAdmin(principal) && job.created_by !== mine)) throw new LeadRouterError('LR_ERR_VALIDATION', `No import ${selection.importId}`, [{ path: 'selection.importId', code: 'unknown_import', message: `No import ${selection.importId}` }]);
    if (job.kind !== 'companies') throw new LeadRouterError('LR_ERR_VALIDATION', 'That import brought leads, not companies', [{ path: 'selection.importId', code: 'not_a_company_import', message: 'Choose an import of companies' }]);
    return await splitCompanies(db, { kind: 'import', jobId: job.id }, MAX_SPLIT_COMPANIES + 1);
  }
  const ownerIds = selection.teamId ? await teamManagerIds(db, selection.teamId) : undefined;
  const filter: ClientListFilter = {
    ...(selection.ownerId === 'none' ? { unowned: true } : selection.ownerId ? { ownerIds: ownerIds ? ownerIds.filter((m) => m === selection.ownerId) : [selection.ownerId] } : ownerIds ? { ownerIds } : {}),
    ...(selection.q ? { search: clientSearchTerms(selection.q, ctx.config.defaultCountry as CountryCode) } : {}),
  };
  const ids: string[] = [];
  let after: { name: string; id: string } | undefined;
  for (;;) {
    const page = await listCompanies(db, filter, { limit: 2000, ...(after ? { after } : {}) });
    ids.push(...page.map((c) => c.id));
    const last = page[page.length - 1];
    if (page.length < 2000 || !last || ids.length > MAX_SPLIT_COMPANIES) break;
    after = { name: last.name, id: last.id };
  }
  return await splitCompanies(db, { kind: 'ids', ids }, MAX_SPLIT_COMPANIES + 1);
}

async function makePlan(ctx: AppContext, db: Kysely<Database>, principal: Principal, input: SplitInput): Promise<Plan> {
  const scope = await clientWriteScope(db, principal);
  const managers = await managersOf(db, scope, input.managerIds, input.weights);
  const issues = checkSplitMethod(input.method as SplitMethod, managers);
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', issues.map((i) => i.message).join('; '), issues);
  const all = await selectedCompanies(ctx, db, principal, input.selection);
  if (all.length > MAX_SPLIT_COMPANIES) throw new LeadRouterError('LR_ERR_VALIDATION', `A split takes at most ${MAX_SPLIT_COMPANIES} companies; narrow the choice`, [{ path: 'selection', code: 'too_many', message: `more than ${MAX_SPLIT_COMPANIES} companies` }]);
  const inScope = scope.kind === 'all' ? all : all.filter((c) => c.ownerId === null || scope.managerIds.has(c.ownerId));
  const method = input.method as SplitMethod;
  const full = planSplit(inScope, managers, method);
  const conflicts = full.filter((p) => p.company.ownerId !== null && p.company.ownerId !== p.managerId);
  let final: PlannedCompany[];
  if (input.existing === 'overwrite') final = full;
  else {
    // Owned companies keep their owner; the method shares out the others among the managers.
    const kept = full.filter((p) => p.company.ownerId !== null).map((p) => ({ ...p, managerId: p.company.ownerId as string, reason: 'kept' }));
    final = [...planSplit(inScope.filter((c) => c.ownerId === null), managers, method), ...kept];
  }
  return {
    managers,
    total: all.length,
    final: final.map((p) => ({ ...p, change: p.company.ownerId !== p.managerId })),
    conflicts,
    outOfScope: all.length - inScope.length,
  };
}

export interface SplitPreview {
  total: number;
  changes: number;
  unchanged: number;
  outOfScope: number;
  fallback: number;
  perManager: Array<{ managerId: string; name: string; count: number; newCount: number; examples: string[] }>;
  conflicts: { count: number; kept: boolean; examples: Array<{ companyId: string; name: string; ownerId: string; ownerName: string; plannedManagerId: string; plannedManagerName: string }> };
  rows: Array<{ companyId: string; name: string; ownerId: string | null; managerId: string; reason: string; change: boolean }>;
}

async function managerNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map((await db.selectFrom('managers').select(['id', 'name']).where('id', 'in', unique).execute()).map((r) => [r.id, r.name]));
}

export async function previewSplit(ctx: AppContext, principal: Principal, input: SplitInput, options: { rows: number } = { rows: 500 }): Promise<SplitPreview> {
  const db = ctx.store.db;
  const plan = await makePlan(ctx, db, principal, input);
  const names = await managerNames(db, [...plan.conflicts.map((c) => c.company.ownerId as string), ...plan.managers.map((m) => m.id)]);
  const perManager = plan.managers.map((m) => {
    const mine = plan.final.filter((p) => p.managerId === m.id);
    return { managerId: m.id, name: m.name, count: mine.length, newCount: mine.filter((p) => p.change).length, examples: mine.filter((p) => p.change).slice(0, 5).map((p) => p.company.name) };
  });
  const rows = plan.final.filter((p) => p.change).slice(0, options.rows);
  return {
    total: plan.total,
    changes: plan.final.filter((p) => p.change).length,
    unchanged: plan.final.filter((p) => !p.change).length,
    outOfScope: plan.outOfScope,
    fallback: plan.final.filter((p) => p.reason === 'fallback').length,
    perManager,
    conflicts: {
      count: plan.conflicts.length,
      kept: input.existing !== 'overwrite',
      examples: plan.conflicts.slice(0, 10).map((c) => ({
        companyId: c.company.id,
        name: c.company.name,
        ownerId: c.company.ownerId as string,
        ownerName: names.get(c.company.ownerId as string) ?? (c.company.ownerId as string),
        plannedManagerId: c.managerId,
        plannedManagerName: names.get(c.managerId) ?? c.managerId,
      })),
    },
    rows: rows.map((p) => ({ companyId: p.company.id, name: p.company.name, ownerId: p.company.ownerId, managerId: p.managerId, reason: p.reason, change: p.change })),
  };
}

const HISTORY_CHUNK = 500;

/** Applies a split in one transaction: the owners, an owner-history entry per company, the split with the owners before, one audit record. */
export async function applySplit(ctx: AppContext, principal: Principal, input: SplitInput): Promise<ClientSplitRecord> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    const plan = await makePlan(ctx, trx, principal, input);
    const changes = plan.final.filter((p) => p.change);
    if (changes.length === 0) throw new LeadRouterError('LR_ERR_CONFLICT', 'The split would change no owner: every chosen company already has the owner it would get (or keeps its own)');
    const at = ctx.now().toISOString();
    const actor = actorName(principal);
    const splitId = ctx.newId();
    const byOwner = new Map<string | null, string[]>();
    for (const p of changes) byOwner.set(p.managerId, [...(byOwner.get(p.managerId) ?? []), p.company.id]);
    await setCompanyOwners(trx, byOwner, at);
    const reason = `split ${splitId}`;
    for (let i = 0; i < changes.length; i += HISTORY_CHUNK) {
      await insertOwnerHistory(
        trx,
        changes.slice(i, i + HISTORY_CHUNK).map((p) => ({ id: ctx.newId(), clientKind: 'company' as const, clientId: p.company.id, ownerId: p.managerId, previousOwnerId: p.company.ownerId, actor, reason, at })),
      );
    }
    const perManager = Object.fromEntries(plan.managers.map((m) => [m.id, changes.filter((p) => p.managerId === m.id).length]));
    const split: ClientSplitRecord = {
      id: splitId,
      method: input.method.kind,
      params: { method: input.method, selection: input.selection, managerIds: input.managerIds, weights: input.weights ?? null, existing: input.existing },
      status: 'applied',
      companyCount: plan.final.length,
      changedCount: changes.length,
      perManager,
      teamId: principal.kind === 'user' && principal.role === 'head' ? principal.teamId : null,
      createdBy: actor,
      createdAt: at,
      undoneBy: null,
      undoneAt: null,
      restoredCount: null,
    };
    await insertClientSplit(trx, split, changes.map((p) => ({ companyId: p.company.id, previousOwnerId: p.company.ownerId, ownerId: p.managerId })));
    await recordAudit(ctx, trx, principal, [
      { action: 'client_split.applied', entity: 'client_split', entityId: splitId, after: { method: input.method, selection: input.selection, existing: input.existing, companies: plan.final.length, changed: changes.length, perManager } },
    ]);
    return split;
  });
}

function assertMaySee(principal: Principal, split: ClientSplitRecord | null, splitId: string): ClientSplitRecord {
  if (split && (isAdmin(principal) || principal.kind !== 'user' || (principal.role === 'head' && principal.teamId !== null && split.teamId === principal.teamId))) return split;
  throw new LeadRouterError('LR_ERR_NOT_FOUND', `No split ${splitId}`);
}

export async function listSplits(ctx: AppContext, principal: Principal): Promise<ClientSplitRecord[]> {
  await clientWriteScope(ctx.store.db, principal);
  const teamId = !isAdmin(principal) && principal.kind === 'user' ? (principal.teamId ?? '-') : undefined;
  return await listClientSplits(ctx.store.db, { ...(teamId !== undefined ? { teamId } : {}), limit: 50 });
}

/**
 * Undoes a split: each company the split gave gets back the owner it had, when it still has the
 * owner the split gave (a company handed over since keeps its new owner, counted as skipped).
 */
export async function undoSplit(ctx: AppContext, principal: Principal, splitId: string): Promise<{ split: ClientSplitRecord; restored: number; skipped: number }> {
  return await ctx.store.db.transaction().execute(async (trx) => {
    await clientWriteScope(trx, principal);
    const split = assertMaySee(principal, await findClientSplit(trx, splitId), splitId);
    if (split.status === 'undone') throw new LeadRouterError('LR_ERR_CONFLICT', 'This split was undone already');
    const entries = await clientSplitEntries(trx, splitId);
    const current = await companyOwners(
      trx,
      entries.map((e) => e.companyId),
    );
    const restore = entries.filter((e) => current.has(e.companyId) && current.get(e.companyId) === e.ownerId);
    const at = ctx.now().toISOString();
    const actor = actorName(principal);
    if (!(await markClientSplitUndone(trx, splitId, actor, at, restore.length))) throw new LeadRouterError('LR_ERR_CONFLICT', 'This split was undone already');
    const byOwner = new Map<string | null, string[]>();
    for (const e of restore) byOwner.set(e.previousOwnerId, [...(byOwner.get(e.previousOwnerId) ?? []), e.companyId]);
    await setCompanyOwners(trx, byOwner, at);
    for (let i = 0; i < restore.length; i += HISTORY_CHUNK) {
      await insertOwnerHistory(
        trx,
        restore.slice(i, i + HISTORY_CHUNK).map((e) => ({ id: ctx.newId(), clientKind: 'company' as const, clientId: e.companyId, ownerId: e.previousOwnerId, previousOwnerId: e.ownerId, actor, reason: `split ${splitId} undone`, at })),
      );
    }
    const skipped = entries.length - restore.length;
    await recordAudit(ctx, trx, principal, [{ action: 'client_split.undone', entity: 'client_split', entityId: splitId, before: { changed: split.changedCount }, after: { restored: restore.length, skipped } }]);
    return { split: { ...split, status: 'undone' as const, undoneBy: actor, undoneAt: at, restoredCount: restore.length }, restored: restore.length, skipped };
  });
}

/** Manager names for a list of splits. */
export async function splitManagerNames(ctx: AppContext, splits: readonly ClientSplitRecord[]): Promise<Map<string, string>> {
  return await managerNames(
    ctx.store.db,
    splits.flatMap((s) => Object.keys(s.perManager)),
  );
}
