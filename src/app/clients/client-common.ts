import type { Kysely } from 'kysely';
import { normalizeEmail, normalizePhone, normalizeTaxId, type CountryCode } from '../../core/normalize/index.js';
import { companyDomain } from '../../core/matching/match-keys.js';
import { normalizeDomain } from '../../core/normalize/domain.js';
import { hasScope } from '../api-keys.js';
import { isAdmin, type Principal } from '../access/principal.js';
import { LeadRouterError, type FieldIssue } from '../errors.js';
import type { Database } from '../../store/schema.js';
import type { ClientKind } from '../../store/client-base-queries.js';

/**
 * Who changes the client base. Everyone who reads leads reads it (a salesperson must see whose
 * client a company is); admins (and integrations with leads:manage) change every client, a head
 * the clients of the own team: owned by one of its managers, or by nobody, and gives them only to
 * its managers. Managers and qualifiers read only.
 */
export type ClientWriteScope = { kind: 'all' } | { kind: 'team'; managerIds: ReadonlySet<string> };

export async function clientWriteScope(db: Kysely<Database>, principal: Principal): Promise<ClientWriteScope> {
  if (isAdmin(principal)) return { kind: 'all' };
  if (principal.kind === 'api-key') {
    if (hasScope(principal.key, 'leads:manage')) return { kind: 'all' };
    throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The API key lacks the scope leads:manage');
  }
  if (principal.kind === 'user' && principal.role === 'head') {
    if (principal.teamId === null) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'You run no team; ask an admin to change clients');
    const rows = await db.selectFrom('managers').select('id').where('team_id', '=', principal.teamId).execute();
    return { kind: 'team', managerIds: new Set(rows.map((r) => r.id)) };
  }
  throw new LeadRouterError('LR_ERR_FORBIDDEN', principal.kind === 'user' ? `The role ${principal.role} reads the client base but does not change it` : 'The caller may not change clients');
}

/** A head may touch a client owned by the own team's manager or by nobody. */
export function assertMayChange(scope: ClientWriteScope, kind: ClientKind, client: { id: string; ownerId: string | null }): void {
  if (scope.kind === 'all' || client.ownerId === null || scope.managerIds.has(client.ownerId)) return;
  throw new LeadRouterError('LR_ERR_FORBIDDEN', `A head changes the clients of the own team only; this ${kind} belongs to another team's manager`, [
    { path: 'id', code: 'other_team', message: `The ${kind} ${client.id} is owned outside your team` },
  ]);
}

/** The owner to set: an existing manager, and for a head one of the own team. */
export async function checkOwner(db: Kysely<Database>, scope: ClientWriteScope, ownerId: string | null | undefined, path = 'ownerId'): Promise<string | null> {
  if (ownerId === null || ownerId === undefined) return null;
  const row = await db.selectFrom('managers').select(['id', 'active']).where('id', '=', ownerId).executeTakeFirst();
  if (!row) throw new LeadRouterError('LR_ERR_VALIDATION', `No manager with id ${ownerId}`, [{ path, code: 'unknown_manager', message: `No manager with id ${ownerId}` }]);
  if (scope.kind === 'team' && !scope.managerIds.has(ownerId)) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', 'A head gives clients to the own team’s managers only', [{ path, code: 'other_team', message: `${ownerId} is not in your team` }]);
  }
  return row.id;
}

export function normalizedPhones(values: readonly string[] | undefined, country: CountryCode, issues: FieldIssue[], path = 'phones'): string[] {
  const out: string[] = [];
  (values ?? []).forEach((raw, i) => {
    const r = normalizePhone(raw, country);
    if (r.ok) {
      if (!out.includes(r.e164)) out.push(r.e164);
    } else issues.push({ path: `${path}[${i}]`, code: r.reason, message: `«${raw}» is not a phone number (${r.reason})` });
  });
  return out;
}

export function normalizedEmails(values: readonly string[] | undefined, issues: FieldIssue[], path = 'emails'): string[] {
  const out: string[] = [];
  (values ?? []).forEach((raw, i) => {
    const e = normalizeEmail(raw);
    if (e === null) issues.push({ path: `${path}[${i}]`, code: 'not_an_email', message: `«${raw}» is not an e-mail address` });
    else if (!out.includes(e)) out.push(e);
  });
  return out;
}

export function normalizedTaxId(value: string | null | undefined, issues: FieldIssue[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const r = normalizeTaxId(value);
  if (r.ok) return r.taxId;
  issues.push({ path: 'taxId', code: r.reason, message: `«${value}» is not a valid ИНН (${r.reason})` });
  return null;
}

export function normalizedDomain(value: string | null | undefined, issues: FieldIssue[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const verdict = companyDomain(normalizeDomain(value));
  if (verdict.ok) return verdict.domain;
  const why: Record<string, string> = {
    not_a_domain: 'is not a domain',
    free_mail_domain: 'is a mailbox provider, shared by many companies',
    disposable_domain: 'is a throw-away mail service',
    platform_domain: 'is a platform shared by many companies (a social network, a marketplace)',
  };
  issues.push({ path: 'domain', code: verdict.reason, message: `«${value}» ${why[verdict.reason] ?? 'is not a company domain'}` });
  return null;
}

export function refuseIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new LeadRouterError('LR_ERR_VALIDATION', issues.map((i) => i.message).join('; '), issues);
}

const SAFE_ID = /^[\x21-\x7e]{1,100}$/;

/** Opaque to callers: base64url of the last item's (name, id). */
export function encodeClientCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

export function decodeClientCursor(cursor: string): { name: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && parsed[0].length <= 400 && typeof parsed[1] === 'string' && SAFE_ID.test(parsed[1])) {
      return { name: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new LeadRouterError('LR_ERR_INVALID_CURSOR', 'The cursor is not one this API returned; start again without it');
}

/** The managers of a team, for the team filter; an unknown team has none. */
export async function teamManagerIds(db: Kysely<Database>, teamId: string): Promise<string[]> {
  return (await db.selectFrom('managers').select('id').where('team_id', '=', teamId).execute()).map((r) => r.id);
}
