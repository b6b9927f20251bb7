import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import { validateRuleSet, type RuleSetIssue } from '../../core/routing/validate-rule-set.js';
import { listManagerRows, listTeams } from '../../store/manager-queries.js';
import { takeRoutingLock } from '../../store/routing-lock.js';
import type { Database } from '../../store/schema.js';
import { findRuleSet, insertRuleSet, listRuleSets, publishRuleSet, updateDraftDefinition, type StoredRuleSet } from '../../store/rule-set-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

export type RuleSetValidation = { ok: true; issues: [] } | { ok: false; issues: RuleSetIssue[] };

/** Checks a definition against the schema and the managers and teams that exist now. */
export async function validateDefinition(ctx: AppContext, definition: unknown, db: Kysely<Database> = ctx.store.db): Promise<RuleSetValidation> {
  const managers = await listManagerRows(db);
  const teams = await listTeams(db);
  const result = validateRuleSet(definition, { managerIds: new Set(managers.map((m) => m.id)), teamIds: new Set(teams.map((t) => t.id)) });
  return result.ok ? { ok: true, issues: [] } : { ok: false, issues: result.issues };
}

export function invalidRuleSet(issues: RuleSetIssue[], pathPrefix = '', headline = 'The rule set has errors'): LeadRouterError {
  const first = issues[0];
  const message = first ? `${headline}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : headline;
  return new LeadRouterError('LR_ERR_RULE_SET_INVALID', message, issues.map((i) => ({ path: `${pathPrefix}${i.path}`, code: i.code, message: i.message })));
}

/** Drafts may be saved while still invalid (work in progress); publishing demands a valid one. */
export async function createDraft(ctx: AppContext, input: { definition: unknown; comment: string | null; author: string }): Promise<{ ruleSet: StoredRuleSet; validation: RuleSetValidation }> {
  const validation = await validateDefinition(ctx, input.definition);
  for (let attempt = 0; ; attempt++) {
    try {
      const ruleSet = await insertRuleSet(
        ctx.store.db,
        { id: ctx.newId(), definition: input.definition as RuleSetDefinition, author: input.author, comment: input.comment },
        ctx.now().toISOString(),
      );
      return { ruleSet, validation };
    } catch (error) {
      // Two authors saving at once race for the next version number; the loser takes the one after.
      if (attempt >= 3 || !/unique|duplicate key/i.test(String((error as Error)?.message))) throw error;
    }
  }
}

/**
 * A short fingerprint of what a draft says (definition and comment) as stored. An editor sends
 * back the revision it loaded, so a save over someone else's newer save is refused instead of
 * silently replacing it.
 */
export function revisionOf(ruleSet: Pick<StoredRuleSet, 'definition' | 'comment'>): string {
  return createHash('sha256').update(sortedJson([ruleSet.definition, ruleSet.comment])).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted: PostgreSQL's jsonb gives keys back in its own order. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export async function updateDraft(ctx: AppContext, version: number, input: { definition: unknown; comment: string | null; revision?: string | undefined }): Promise<{ ruleSet: StoredRuleSet; validation: RuleSetValidation }> {
  // Under the routing lock, so a publish of this version sees either the old or the new definition, whole.
  const validation = await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const existing = await findRuleSet(trx, version);
    if (!existing) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No rule set version ${version}`);
    if (existing.status !== 'draft') throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} is ${existing.status}; only drafts can be edited. Save a new draft instead.`);
    if (input.revision !== undefined && input.revision !== revisionOf(existing)) {
      throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} was changed by someone else since you opened it; save yours as a new draft, or reload to see theirs`, [
        { path: 'revision', code: 'stale_revision', message: 'the draft changed since this revision' },
      ]);
    }
    const checked = await validateDefinition(ctx, input.definition, trx);
    await updateDraftDefinition(trx, version, input.definition as RuleSetDefinition, input.comment);
    return checked;
  });
  return { ruleSet: await getRuleSet(ctx, version), validation };
}

export async function getRuleSet(ctx: AppContext, version: number): Promise<StoredRuleSet> {
  const found = await findRuleSet(ctx.store.db, version);
  if (!found) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No rule set version ${version}`);
  return found;
}

export async function listRuleSetHistory(ctx: AppContext): Promise<StoredRuleSet[]> {
  return await listRuleSets(ctx.store.db);
}

/** Validates the draft as stored at this moment and publishes exactly that, under the routing lock. */
export async function publishDraft(ctx: AppContext, version: number, by: string): Promise<StoredRuleSet> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const existing = await findRuleSet(trx, version);
    if (!existing) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No rule set version ${version}`);
    if (existing.status !== 'draft') throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} is ${existing.status}; only a draft can be published`);
    const validation = await validateDefinition(ctx, existing.definition, trx);
    if (!validation.ok) throw invalidRuleSet(validation.issues, '', `Rule set version ${version} cannot be published`);
    await publishRuleSet(trx, version, by, ctx.now().toISOString());
  });
  return await getRuleSet(ctx, version);
}

/** Validates and publishes a definition in one step (demo data, scripted setups). */
export async function publishDefinition(ctx: AppContext, definition: unknown, author: string, comment: string | null): Promise<StoredRuleSet> {
  const { ruleSet, validation } = await createDraft(ctx, { definition, comment, author });
  if (!validation.ok) throw invalidRuleSet(validation.issues);
  return await publishDraft(ctx, ruleSet.version, author);
}
