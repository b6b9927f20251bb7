import { listAuditEntries, type AuditEntry, type AuditFilter } from '../../store/audit-queries.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SAFE_ID = /^[\x21-\x7e]{1,100}$/;

export async function readAuditLog(ctx: AppContext, filter: { [K in keyof AuditFilter]: AuditFilter[K] | undefined }, page: { limit: number; cursor?: string | undefined }): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const before = page.cursor ? decodeAuditCursor(page.cursor) : undefined;
  const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as AuditFilter;
  const entries = await listAuditEntries(ctx.store.db, clean, { limit: page.limit + 1, ...(before ? { before } : {}) });
  const items = entries.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: entries.length > page.limit && last ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url') : null };
}

function decodeAuditCursor(cursor: string): { at: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && ISO_UTC.test(parsed[0]) && SAFE_ID.test(parsed[1])) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new LeadRouterError('LR_ERR_INVALID_CURSOR', 'The cursor is not one this API returned; start again without it');
}
