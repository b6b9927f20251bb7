import type { RuleSetDefinition } from '../../core/routing/rule-set.js';
import { validateRuleSet, type RuleSetIssue } from '../../core/routing/validate-rule-set.js';
import { listManagerRows } from '../../store/manager-queries.js';
import { findRuleSet, insertRuleSet, listRuleSets, publishRuleSet, updateDraftDefinition, type StoredRuleSet } from '../../store/rule-set-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

export type RuleSetValidation = { ok: true; issues: [] } | { ok: false; issues: RuleSetIssue[] };

/** Checks a definition against the schema and the managers and teams that exist now. */
export async function validateDefinition(ctx: AppContext, definition: unknown): Promise<RuleSetValidation> {
  const managers = await listManagerRows(ctx.store.db);
  const teams = await ctx.store.db.selectFrom('teams').select('id').execute();
  const result = validateRuleSet(definition, { managerIds: new Set(managers.map((m) => m.id)), teamIds: new Set(teams.map((t) => t.id)) });
  return result.ok ? { ok: true, issues: [] } : { ok: false, issues: result.issues };
}

function invalid(issues: RuleSetIssue[]): LeadRouterError {
  const first = issues[0];
  const message = first ? `${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : 'The rule set has errors';
  return new LeadRouterError('LR_ERR_RULE_SET_INVALID', message, issues.map((i) => ({ path: i.path, code: i.code, message: i.message })));
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
      if (attempt >= 3) throw error;
    }
  }
}

export async function updateDraft(ctx: AppContext, version: number, input: { definition: unknown; comment: string | null }): Promise<{ ruleSet: StoredRuleSet; validation: RuleSetValidation }> {
  const existing = await getRuleSet(ctx, version);
  if (existing.status !== 'draft') throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} is ${existing.status}; only drafts can be edited. Save a new draft instead.`);
  const validation = await validateDefinition(ctx, input.definition);
  const updated = await updateDraftDefinition(ctx.store.db, version, input.definition as RuleSetDefinition, input.comment);
  if (!updated) throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} was published meanwhile`);
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

export async function publishDraft(ctx: AppContext, version: number, by: string): Promise<StoredRuleSet> {
  const existing = await getRuleSet(ctx, version);
  if (existing.status !== 'draft') throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} is ${existing.status}; only a draft can be published`);
  const validation = await validateDefinition(ctx, existing.definition);
  if (!validation.ok) throw invalid(validation.issues);
  const published = await publishRuleSet(ctx.store.db, version, by, ctx.now().toISOString());
  if (!published) throw new LeadRouterError('LR_ERR_CONFLICT', `Rule set version ${version} was published or changed meanwhile`);
  return await getRuleSet(ctx, version);
}

/** Validates and publishes a definition in one step (demo data, scripted setups). */
export async function publishDefinition(ctx: AppContext, definition: unknown, author: string, comment: string | null): Promise<StoredRuleSet> {
  const { ruleSet, validation } = await createDraft(ctx, { definition, comment, author });
  if (!validation.ok) throw invalid(validation.issues);
  return await publishDraft(ctx, ruleSet.version, author);
}
