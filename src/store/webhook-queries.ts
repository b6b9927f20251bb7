import type { Kysely, Selectable } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database, WebhooksTable } from './schema.js';

export interface WebhookRecord {
  id: string;
  url: string;
  secret: string;
  /** Topics it is subscribed to; ["*"] means all. */
  topics: string[];
  active: boolean;
  createdAt: string;
}

function toWebhook(r: Selectable<WebhooksTable>): WebhookRecord {
  return { id: r.id, url: r.url, secret: r.secret, topics: readJson<string[]>(r.topics, []), active: r.active === 1, createdAt: r.created_at };
}

export async function insertWebhook(db: Kysely<Database>, w: Omit<WebhookRecord, 'active'>): Promise<void> {
  await db.insertInto('webhooks').values({ id: w.id, url: w.url, secret: w.secret, topics: writeJson(w.topics), active: 1, created_at: w.createdAt }).execute();
}

export async function listWebhooks(db: Kysely<Database>): Promise<WebhookRecord[]> {
  const rows = await db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toWebhook);
}

export async function findWebhook(db: Kysely<Database>, id: string): Promise<WebhookRecord | null> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toWebhook(row) : null;
}

export async function deleteWebhook(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Every active webhook: few enough to read once per pass and match to topics in memory. */
export async function activeWebhooks(db: Kysely<Database>): Promise<WebhookRecord[]> {
  const rows = await db.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('created_at').orderBy('id').execute();
  return rows.map(toWebhook);
}

/** Whether the webhook asked for this topic (or for everything). */
export function subscribedTo(webhook: WebhookRecord, topic: string): boolean {
  return webhook.topics.includes('*') || webhook.topics.includes(topic);
}
