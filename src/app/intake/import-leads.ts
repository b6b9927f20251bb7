import { createHash } from 'node:crypto';
import { findApiKeyByHash, insertApiKey } from '../../store/api-key-queries.js';
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
}

/**
 * Imports a file's leads through the normal intake, in chunks, each under an idempotency key
 * made of the file's content hash and the chunk number: running the same file again (after a
 * failure half-way, or by mistake) adds only what is missing.
 */
export async function importLeadFile(ctx: AppContext, intake: LeadIntake, input: { content: string | Uint8Array; leads: LeadInput[]; actor: string }): Promise<ImportSummary> {
  const apiKeyId = await importScope(ctx);
  const fileHash = createHash('sha256').update(input.content).digest('base64url');
  const summary: ImportSummary = { created: 0, alreadyImported: 0, assigned: 0, pooled: 0 };
  for (let i = 0; i < input.leads.length; i += CHUNK) {
    const outcomes = await intake.accept({ leads: input.leads.slice(i, i + CHUNK), apiKeyId, idempotencyKey: `file:${fileHash}:${i / CHUNK}`, actor: input.actor });
    for (const o of outcomes) {
      if (o.status === 'replayed') summary.alreadyImported++;
      else summary.created++;
      if (o.lead.ownerId) summary.assigned++;
      else summary.pooled++;
    }
  }
  return summary;
}

async function importScope(ctx: AppContext): Promise<string> {
  const existing = await findApiKeyByHash(ctx.store.db, IMPORT_KEY_HASH);
  if (existing) return existing.id;
  await insertApiKey(ctx.store.db, { id: ctx.newId(), name: 'file imports (internal, cannot authenticate)', prefix: '-', hash: IMPORT_KEY_HASH, scopes: [] }, ctx.now().toISOString(), { ifAbsent: true });
  const created = await findApiKeyByHash(ctx.store.db, IMPORT_KEY_HASH);
  if (!created) throw new Error('the import scope could not be created');
  return created.id;
}
