import type { Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import { findLeadsByIdempotencyKeys, type LeadRecord } from '../../store/lead-queries.js';
import type { Database } from '../../store/schema.js';
import { LeadRouterError } from '../errors.js';
import type { IntakeRequest, IntakeResult } from './intake-leads.js';

/** The identity of a request under its idempotency key, or null when it has none. */
export function idempotencyScope(r: IntakeRequest): string | null {
  return r.idempotencyKey === null || r.apiKeyId === null ? null : `${r.apiKeyId}\u0000${r.idempotencyKey}`;
}

/** A request's fingerprint covers every lead and their number, so a changed batch is a different request. */
function requestHashOf(r: IntakeRequest): string {
  const hash = createHash('sha256').update(String(r.leads.length));
  for (const lead of r.leads) hash.update('\u0000').update(lead.requestHash ?? '');
  return hash.digest('base64url');
}

const mismatch = (): IntakeResult => ({ ok: false, error: new LeadRouterError('LR_ERR_IDEMPOTENCY_MISMATCH') });

export interface IdempotencySorting {
  /** Per request: refused already (a key reused for a different request), or still undecided. */
  results: Array<IntakeResult | undefined>;
  /** Requests that repeat one stored earlier: answered with what was stored. */
  replays: Map<number, LeadRecord[]>;
  /** For each key used in this batch, the request that carries it first; later ones repeat it. */
  firstInBatch: Map<string, number>;
  /** The requests whose leads are to be decided now. */
  toRoute: Array<{ r: IntakeRequest; i: number }>;
  hashes: Array<string | null>;
}

/**
 * Sorts a batch's requests by what their idempotency keys say, under the routing lock: new,
 * a replay of a stored request, a repeat of an earlier request in this batch, or refused.
 */
export async function sortByIdempotency(trx: Kysely<Database>, requests: IntakeRequest[]): Promise<IdempotencySorting> {
  const results: Array<IntakeResult | undefined> = new Array(requests.length);
  const hashes = requests.map((r) => (idempotencyScope(r) === null ? null : requestHashOf(r)));

  const keysByApiKey = new Map<string, Set<string>>();
  for (const r of requests) {
    if (idempotencyScope(r) === null) continue;
    const keys = keysByApiKey.get(r.apiKeyId as string) ?? new Set<string>();
    keys.add(r.idempotencyKey as string);
    keysByApiKey.set(r.apiKeyId as string, keys);
  }
  const stored = new Map<string, LeadRecord[]>();
  for (const [apiKeyId, keys] of keysByApiKey) {
    for (const lead of await findLeadsByIdempotencyKeys(trx, apiKeyId, [...keys])) {
      const scope = `${apiKeyId}\u0000${lead.idempotencyKey}`;
      stored.set(scope, [...(stored.get(scope) ?? []), lead]);
    }
  }

  const replays = new Map<number, LeadRecord[]>();
  const firstInBatch = new Map<string, number>();
  requests.forEach((r, i) => {
    const scope = idempotencyScope(r);
    if (scope === null) return;
    const previous = stored.get(scope);
    if (previous) {
      if (previous.length === r.leads.length && previous.every((p) => p.requestHash === hashes[i])) replays.set(i, previous);
      else results[i] = mismatch();
      return;
    }
    const first = firstInBatch.get(scope);
    if (first === undefined) firstInBatch.set(scope, i);
    else if (hashes[first] !== hashes[i]) results[i] = mismatch();
  });
  const isRepeatInBatch = (r: IntakeRequest, i: number): boolean => {
    const scope = idempotencyScope(r);
    return scope !== null && firstInBatch.get(scope) !== i;
  };
  const toRoute = requests.map((r, i) => ({ r, i })).filter(({ r, i }) => results[i] === undefined && !replays.has(i) && !isRepeatInBatch(r, i));
  return { results, replays, firstInBatch, toRoute, hashes };
}
