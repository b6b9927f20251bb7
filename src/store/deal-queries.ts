import type { Kysely, Selectable } from 'kysely';
import { readControlPoints, type ControlPoint, type DealStage } from '../core/lifecycle/deals.js';
import { readJson, writeJson } from './json.js';
import type { Database, DealsTable } from './schema.js';

export interface DealRecord {
  id: string;
  leadId: string;
  contactId: string | null;
  companyId: string | null;
  title: string;
  amount: number | null;
  currency: string | null;
  stage: DealStage;
  /** Who registered the deal: the bonus share is theirs, whoever closes it. */
  originatorId: string | null;
  ownerId: string | null;
  controlPoints: ControlPoint[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

function fromRow(r: Selectable<DealsTable>): DealRecord {
  return {
    id: r.id, leadId: r.lead_id, contactId: r.contact_id, companyId: r.company_id, title: r.title, amount: r.amount, currency: r.currency,
    stage: r.stage as DealStage, originatorId: r.originator_id, ownerId: r.owner_id, controlPoints: readControlPoints(readJson<ControlPoint[]>(r.control_points, [])),
    createdAt: r.created_at, updatedAt: r.updated_at, closedAt: r.closed_at,
  };
}

function toRow(d: DealRecord) {
  return {
    id: d.id, lead_id: d.leadId, contact_id: d.contactId, company_id: d.companyId, title: d.title, amount: d.amount, currency: d.currency,
    stage: d.stage, originator_id: d.originatorId, owner_id: d.ownerId, control_points: writeJson(d.controlPoints),
    created_at: d.createdAt, updated_at: d.updatedAt, closed_at: d.closedAt,
  };
}

export async function insertDeal(db: Kysely<Database>, deal: DealRecord): Promise<void> {
  await db.insertInto('deals').values(toRow(deal)).execute();
}

export async function findDeal(db: Kysely<Database>, id: string): Promise<DealRecord | undefined> {
  const row = await db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findDealsOfLead(db: Kysely<Database>, leadId: string): Promise<DealRecord[]> {
  const rows = await db.selectFrom('deals').selectAll().where('lead_id', '=', leadId).execute();
  return rows.map(fromRow);
}

/** Deals by id, in no particular order; ids that name no deal are left out. */
export async function findDealsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<DealRecord[]> {
  const out: DealRecord[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('deals').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute();
    out.push(...rows.map(fromRow));
  }
  return out;
}

/** Won deals closed in [from, to) (ISO instants), oldest first. */
export async function wonDealsClosedBetween(db: Kysely<Database>, from: string, to: string): Promise<DealRecord[]> {
  const rows = await db.selectFrom('deals').selectAll().where('stage', '=', 'won').where('closed_at', '>=', from).where('closed_at', '<', to).orderBy('closed_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Newest first; `managerIds` limits to deals those managers own or registered (undefined: all). */
export async function listDeals(db: Kysely<Database>, filter: { managerIds?: string[]; stage?: DealStage; limit: number }): Promise<DealRecord[]> {
  let q = db.selectFrom('deals').selectAll();
  const ids = filter.managerIds;
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where((eb) => eb.or([eb('owner_id', 'in', ids), eb('originator_id', 'in', ids)]));
  }
  if (filter.stage) q = q.where('stage', '=', filter.stage);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(fromRow);
}

/** Writes the deal only if nobody changed it since it was read; false when someone did. */
export async function updateDealIfUnchanged(db: Kysely<Database>, before: DealRecord, after: DealRecord): Promise<boolean> {
  const row = toRow(after);
  const result = await db
    .updateTable('deals')
    .set({ title: row.title, amount: row.amount, currency: row.currency, stage: row.stage, owner_id: row.owner_id, control_points: row.control_points, updated_at: row.updated_at, closed_at: row.closed_at })
    .where('id', '=', before.id)
    .where('updated_at', '=', before.updatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
