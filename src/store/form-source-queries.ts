import type { Kysely } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database, FormQuarantineTable, FormSourcesTable } from './schema.js';

export interface FormSourceRecord {
  id: string;
  name: string;
  publicKey: string;
  apiKeyId: string;
  source: string | null;
  channel: string | null;
  campaign: string | null;
  fieldMap: Record<string, string>;
  allowedOrigins: string[];
  thankYouUrl: string | null;
  honeypotField: string | null;
  minSeconds: number;
  keepUnknown: boolean;
  perIpPerMinute: number;
  perFormPerMinute: number;
  captchaSecret: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

function fromRow(r: FormSourcesTable): FormSourceRecord {
  return {
    id: r.id,
    name: r.name,
    publicKey: r.public_key,
    apiKeyId: r.api_key_id,
    source: r.source,
    channel: r.channel,
    campaign: r.campaign,
    fieldMap: readJson<Record<string, string>>(r.field_map, {}),
    allowedOrigins: readJson<string[]>(r.allowed_origins, []),
    thankYouUrl: r.thank_you_url,
    honeypotField: r.honeypot_field,
    minSeconds: Number(r.min_seconds),
    keepUnknown: Number(r.keep_unknown) === 1,
    perIpPerMinute: Number(r.per_ip_per_minute),
    perFormPerMinute: Number(r.per_form_per_minute),
    captchaSecret: r.captcha_secret,
    active: Number(r.active) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function toRow(f: FormSourceRecord): FormSourcesTable {
  return {
    id: f.id,
    name: f.name,
    public_key: f.publicKey,
    api_key_id: f.apiKeyId,
    source: f.source,
    channel: f.channel,
    campaign: f.campaign,
    field_map: writeJson(f.fieldMap),
    allowed_origins: writeJson(f.allowedOrigins),
    thank_you_url: f.thankYouUrl,
    honeypot_field: f.honeypotField,
    min_seconds: f.minSeconds,
    keep_unknown: f.keepUnknown ? 1 : 0,
    per_ip_per_minute: f.perIpPerMinute,
    per_form_per_minute: f.perFormPerMinute,
    captcha_secret: f.captchaSecret,
    active: f.active ? 1 : 0,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}

export async function insertFormSource(db: Kysely<Database>, f: FormSourceRecord): Promise<void> {
  await db.insertInto('form_sources').values(toRow(f)).execute();
}

export async function updateFormSource(db: Kysely<Database>, f: FormSourceRecord): Promise<void> {
  const { id: _id, public_key: _key, api_key_id: _apiKey, created_at: _created, ...changes } = toRow(f);
  await db.updateTable('form_sources').set(changes).where('id', '=', f.id).execute();
}

export async function findFormSource(db: Kysely<Database>, id: string): Promise<FormSourceRecord | undefined> {
  const row = await db.selectFrom('form_sources').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findFormSourceByKey(db: Kysely<Database>, publicKey: string): Promise<FormSourceRecord | undefined> {
  const row = await db.selectFrom('form_sources').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listFormSources(db: Kysely<Database>): Promise<FormSourceRecord[]> {
  return (await db.selectFrom('form_sources').selectAll().orderBy('created_at').orderBy('id').execute()).map(fromRow);
}

export interface QuarantinedSubmission {
  id: string;
  /** The web form; null for a lead a CRM connector holds (then `connectorId`). */
  formId: string | null;
  connectorId: string | null;
  fields: Record<string, string>;
  input: Record<string, unknown>;
  issues: Array<{ path: string; code: string; message: string }>;
  idempotencyKey: string | null;
  status: 'waiting' | 'replayed' | 'discarded';
  leadId: string | null;
  receivedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

function quarantineFromRow(r: FormQuarantineTable): QuarantinedSubmission {
  return {
    id: r.id,
    formId: r.form_id,
    connectorId: r.connector_id,
    fields: readJson<Record<string, string>>(r.fields, {}),
    input: readJson<Record<string, unknown>>(r.input, {}),
    issues: readJson<QuarantinedSubmission['issues']>(r.issues, []),
    idempotencyKey: r.idempotency_key,
    status: r.status as QuarantinedSubmission['status'],
    leadId: r.lead_id,
    receivedAt: String(r.received_at),
    resolvedAt: r.resolved_at === null ? null : String(r.resolved_at),
    resolvedBy: r.resolved_by,
  };
}

/** Keeps a refused submission; false when the CRM lead (connector and intake key) is kept already. */
export async function insertQuarantined(db: Kysely<Database>, q: QuarantinedSubmission): Promise<boolean> {
  const result = await db
    .insertInto('form_quarantine')
    .values({
      id: q.id,
      form_id: q.formId,
      connector_id: q.connectorId,
      fields: writeJson(q.fields),
      input: writeJson(q.input),
      issues: writeJson(q.issues),
      idempotency_key: q.idempotencyKey,
      status: q.status,
      lead_id: q.leadId,
      received_at: q.receivedAt,
      resolved_at: q.resolvedAt,
      resolved_by: q.resolvedBy,
    })
    .onConflict((oc) => oc.columns(['connector_id', 'idempotency_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findQuarantined(db: Kysely<Database>, id: string): Promise<QuarantinedSubmission | undefined> {
  const row = await db.selectFrom('form_quarantine').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? quarantineFromRow(row) : undefined;
}

export async function listQuarantined(db: Kysely<Database>, filter: { formId?: string; connectorId?: string; status?: string; limit: number }): Promise<QuarantinedSubmission[]> {
  let q = db.selectFrom('form_quarantine').selectAll();
  if (filter.formId) q = q.where('form_id', '=', filter.formId);
  if (filter.connectorId) q = q.where('connector_id', '=', filter.connectorId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(quarantineFromRow);
}

/** Resolves a waiting submission; false when someone resolved it meanwhile. */
export async function resolveQuarantined(db: Kysely<Database>, id: string, change: { status: 'replayed' | 'discarded'; leadId: string | null; input?: Record<string, unknown>; at: string; by: string }): Promise<boolean> {
  const result = await db
    .updateTable('form_quarantine')
    .set({ status: change.status, lead_id: change.leadId, resolved_at: change.at, resolved_by: change.by, ...(change.input ? { input: writeJson(change.input) } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
