import type { Kysely, Selectable } from 'kysely';
import type { RuleSetDefinition } from '../core/routing/rule-set.js';
import { readJson, writeJson } from './json.js';
import type { Database, RuleSetsTable } from './schema.js';

export type RuleSetStatus = 'draft' | 'published' | 'superseded';

export interface StoredRuleSet {
  id: string;
  version: number;
  status: RuleSetStatus;
  definition: RuleSetDefinition;
  author: string;
  comment: string | null;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
}

function toStored(row: Selectable<RuleSetsTable>): StoredRuleSet {
  return {
    id: row.id,
    version: row.version,
    status: row.status as RuleSetStatus,
    definition: readJson<RuleSetDefinition>(row.definition, { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [], fallback: { kind: 'pool' } }),
    author: row.author,
    comment: row.comment,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}

export async function insertRuleSet(
  db: Kysely<Database>,
  input: { id: string; definition: RuleSetDefinition; author: string; comment: string | null },
  at: string,
): Promise<StoredRuleSet> {
  // Versions are allocated under the unique index; a concurrent writer makes one of the two retry.
  const last = await db.selectFrom('rule_sets').select((eb) => eb.fn.max<number>('version').as('v')).executeTakeFirst();
  const version = (last?.v ?? 0) + 1;
  await db
    .insertInto('rule_sets')
    .values({ id: input.id, version, status: 'draft', definition: writeJson(input.definition), author: input.author, comment: input.comment, created_at: at, published_at: null, published_by: null })
    .execute();
  return { id: input.id, version, status: 'draft', definition: input.definition, author: input.author, comment: input.comment, createdAt: at, publishedAt: null, publishedBy: null };
}

export async function updateDraftDefinition(db: Kysely<Database>, version: number, definition: RuleSetDefinition, comment: string | null): Promise<boolean> {
  const result = await db
    .updateTable('rule_sets')
    .set({ definition: writeJson(definition), comment })
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findRuleSet(db: Kysely<Database>, version: number): Promise<StoredRuleSet | undefined> {
  const row = await db.selectFrom('rule_sets').selectAll().where('version', '=', version).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function listRuleSets(db: Kysely<Database>): Promise<StoredRuleSet[]> {
  const rows = await db.selectFrom('rule_sets').selectAll().orderBy('version', 'desc').execute();
  return rows.map(toStored);
}

export async function publishedRuleSetVersion(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('rule_sets').select('version').where('status', '=', 'published').orderBy('version', 'desc').executeTakeFirst();
  return row?.version;
}

/**
 * Makes `version` the one published rule set; the previous one becomes history. Run it in the
 * caller's transaction under the routing lock, after validating the draft read in that same
 * transaction. Returns false if `version` is no longer a draft.
 */
export async function publishRuleSet(trx: Kysely<Database>, version: number, by: string, at: string): Promise<boolean> {
  const draft = await trx.selectFrom('rule_sets').select('status').where('version', '=', version).executeTakeFirst();
  if (draft?.status !== 'draft') return false;
  await trx.updateTable('rule_sets').set({ status: 'superseded' }).where('status', '=', 'published').execute();
  await trx.updateTable('rule_sets').set({ status: 'published', published_at: at, published_by: by }).where('version', '=', version).execute();
  return true;
}
