import { createHash } from 'node:crypto';
import { findApiKeyByHash, insertApiKey } from '../../store/api-key-queries.js';
import { enqueueOutbox, type OutboxMessage } from '../../store/journal-queries.js';
import type { Audience } from '../notifications/topics.js';
import { localeOf, type Locale } from '../source-health/source-health-messages.js';
import type { AppContext } from '../app-context.js';
import type { LeadInput } from './lead-input.js';
import type { LeadIntake } from './lead-intake.js';

const CHUNK = 500;
// Not a SHA-256 digest, so no presented key can ever hash to it: the record only scopes idempotency keys.
const IMPORT_KEY_HASH = 'internal:file-import';

export interface ImportSummary {
  created: number;
  alreadyImported: number;
  assigned: number;
  pooled: number;
  /** Per manager, how many of the new leads became theirs (each was told once, in a digest). */
  byOwner: Record<string, number>;
}

/**
 * Imports a file's leads through the normal intake, in chunks, each under an idempotency key
 * made of the file's content hash and the chunk number: running the same file again (after a
 * failure half-way, or by mistake) adds only what is missing. An import does not flood people:
 * instead of a message per lead, each manager who got new leads is told once ("412 leads from
 * base.xlsx are now yours"), and the leads start SLA clocks only with `slaClocks`.
 */
export async function importLeadFile(ctx: AppContext, intake: LeadIntake, input: { content: string | Uint8Array; leads: LeadInput[]; actor: string; fileName?: string; slaClocks?: boolean }): Promise<ImportSummary> {
  const apiKeyId = await importScope(ctx);
  const fileHash = createHash('sha256').update(input.content).digest('base64url');
  const summary: ImportSummary = { created: 0, alreadyImported: 0, assigned: 0, pooled: 0, byOwner: {} };
  for (let i = 0; i < input.leads.length; i += CHUNK) {
    const outcomes = await intake.accept({ leads: input.leads.slice(i, i + CHUNK), apiKeyId, idempotencyKey: `file:${fileHash}:${i / CHUNK}`, actor: input.actor, bulk: { slaClocks: input.slaClocks ?? false } });
    for (const o of outcomes) {
      if (o.status === 'replayed') summary.alreadyImported++;
      else summary.created++;
      if (o.lead.ownerId) summary.assigned++;
      else summary.pooled++;
      if (o.status === 'created' && o.lead.ownerId) summary.byOwner[o.lead.ownerId] = (summary.byOwner[o.lead.ownerId] ?? 0) + 1;
    }
  }
  await tellOwners(ctx, summary.byOwner, input.fileName ?? 'a file');
  return summary;
}

/** One message per manager who got leads from the import, instead of one per lead, in the reader's language. */
export async function tellOwners(ctx: AppContext, byOwner: Record<string, number>, fileName: string): Promise<void> {
  const owners = Object.keys(byOwner);
  if (owners.length === 0) return;
  const people = await ctx.store.db.selectFrom('users').select(['id', 'manager_id', 'locale']).where('manager_id', 'in', owners).where('active', '=', 1).execute();
  const at = ctx.now().toISOString();
  const messages: OutboxMessage[] = [];
  for (const managerId of owners) {
    const count = byOwner[managerId] as number;
    const readers = people.filter((p) => p.manager_id === managerId);
    const byLocale = new Map<Locale, string[]>();
    for (const reader of readers) byLocale.set(localeOf(reader.locale), [...(byLocale.get(localeOf(reader.locale)) ?? []), reader.id]);
    // A manager nobody signs in as still hears of it through the channels that reach the profile.
    const groups: Array<[Locale, Audience]> = byLocale.size > 0 ? [...byLocale].map(([locale, users]) => [locale, { users }]) : [['ru', { managers: [managerId] }]];
    for (const [locale, audience] of groups) {
      messages.push({ id: ctx.newId(), topic: 'leads.imported', payload: { leadId: null, count, file: fileName, managerId, locale, text: importDigest(count, fileName, locale), audience }, createdAt: at });
    }
  }
  await enqueueOutbox(ctx.store.db, messages);
}

/** "412 лидов из base.xlsx теперь ваши" / "412 leads from base.xlsx are now yours". */
export function importDigest(count: number, fileName: string, locale: Locale): string {
  if (locale === 'en') return `${count} ${count === 1 ? 'lead' : 'leads'} from ${fileName} ${count === 1 ? 'is' : 'are'} now yours`;
  const last = count % 10;
  const lastTwo = count % 100;
  const one = last === 1 && lastTwo !== 11;
  const few = last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14);
  return `${count} ${one ? 'лид' : few ? 'лида' : 'лидов'} из ${fileName} теперь ${one ? 'ваш' : 'ваши'}`;
}

export async function importScope(ctx: AppContext): Promise<string> {
  const existing = await findApiKeyByHash(ctx.store.db, IMPORT_KEY_HASH);
  if (existing) return existing.id;
  await insertApiKey(ctx.store.db, { id: ctx.newId(), name: 'file imports (internal, cannot authenticate)', prefix: '-', hash: IMPORT_KEY_HASH, scopes: [] }, ctx.now().toISOString(), { ifAbsent: true });
  const created = await findApiKeyByHash(ctx.store.db, IMPORT_KEY_HASH);
  if (!created) throw new Error('the import scope could not be created');
  return created.id;
}
