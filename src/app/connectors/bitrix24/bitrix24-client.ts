import { setTimeout as sleep } from 'node:timers/promises';
import { RateBucket } from '../../../core/connectors/rate-bucket.js';
import { CrmApiError } from '../crm-api-error.js';

/** Bitrix24 cloud: the bucket drains 2 requests a second and refuses past 50 (limits.md); we keep well under. */
export const BITRIX24_PACE = { perSecond: 2, burst: 10 } as const;

export interface Bitrix24Options {
  timeoutMs?: number;
  /** Requests per second and burst this process allows itself against one portal. */
  pace?: { perSecond: number; burst: number };
  /** The longest a call waits for its turn before it is handed back (`rate_limited`) instead. */
  maxWaitMs?: number;
}

export interface Bitrix24Answer<T> {
  result: T;
  total?: number;
  next?: number;
}

export interface Bitrix24Client {
  call<T>(method: string, params?: Record<string, unknown>): Promise<Bitrix24Answer<T>>;
}

interface PortalPace {
  bucket: RateBucket;
  /** QUERY_LIMIT_EXCEEDED answers in a row: each doubles the pause. */
  refusals: number;
}

/** One bucket per portal and process, shared by every caller (the outbox, the poll, the event handler). */
const buckets = new Map<string, PortalPace>();

function paceOf(portal: string, pace: { perSecond: number; burst: number }): PortalPace {
  const key = `${portal}\u0000${pace.perSecond}\u0000${pace.burst}`;
  let entry = buckets.get(key);
  if (!entry) {
    entry = { bucket: new RateBucket(pace.perSecond, pace.burst), refusals: 0 };
    buckets.set(key, entry);
  }
  return entry;
}

/** `https://portal/rest/<user>/<code>/`, with the trailing slash; throws on anything else. */
export function normalizeWebhookUrl(value: string): string {
  const url = new URL(value.trim());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('the webhook URL must start with https://');
  const match = /^(.*\/rest\/\d+\/[A-Za-z0-9]+)\/?(?:[a-z0-9_.]+\.json)?$/.exec(url.pathname);
  if (!match || url.search !== '' || url.hash !== '') throw new Error('a Bitrix24 inbound webhook URL looks like https://<portal>/rest/<user id>/<code>/');
  return `${url.origin}${match[1]}/`;
}

/** The webhook URL without its secret code, for people to recognise it. */
export function maskWebhookUrl(value: string): string {
  return value.replace(/(\/rest\/\d+\/)([A-Za-z0-9]{2})[A-Za-z0-9]*(\/?)$/, '$1$2…$3');
}

/**
 * Bitrix24 REST through an inbound webhook: POST `<webhook>/<method>.json` with a JSON body
 * (B24DOCS local-integrations/local-webhooks.md). Requests are paced per portal; "too many
 * requests" (HTTP 503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT; error-codes.md) closes the
 * portal's bucket for a pause that doubles with each refusal in a row, up to a minute.
 */
export function bitrix24Client(webhookUrl: string, options: Bitrix24Options = {}): Bitrix24Client {
  const base = normalizeWebhookUrl(webhookUrl);
  const portal = new URL(base).origin;
  const entry = paceOf(portal, options.pace ?? BITRIX24_PACE);
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 15_000;

  return {
    async call<T>(method: string, params: Record<string, unknown> = {}): Promise<Bitrix24Answer<T>> {
      const closed = entry.bucket.closedUntilMs();
      if (closed - Date.now() > maxWaitMs) throw new CrmApiError(`Bitrix24 ${method}: holding back after QUERY_LIMIT_EXCEEDED`, 'rate_limited', null, 'QUERY_LIMIT_EXCEEDED', new Date(closed));
      const sendAt = entry.bucket.book(Date.now());
      const wait = sendAt - Date.now();
      if (wait > 0) await sleep(wait);
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${method}.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'leadrouter-crm' },
          body: JSON.stringify(params),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        });
        text = await res.text();
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        throw new CrmApiError(`Bitrix24 ${method}: the portal did not answer (${cause})`, 'unavailable', null, null);
      }
      const body = parseBody(text);
      const code = typeof body?.error === 'string' && body.error !== '' ? body.error : null;
      const description = typeof body?.error_description === 'string' ? body.error_description : '';
      const said = `${code ?? ''}${description ? ` — ${description}` : ''}`.trim();
      if (code === 'QUERY_LIMIT_EXCEEDED' || code === 'OPERATION_TIME_LIMIT' || res.status === 429) {
        entry.refusals += 1;
        const until = Date.now() + Math.min(60_000, 1_000 * 2 ** Math.min(entry.refusals - 1, 6));
        entry.bucket.closeUntil(until);
        throw new CrmApiError(`Bitrix24 ${method}: HTTP ${res.status} ${said}`.trim(), 'rate_limited', res.status, code ?? 'QUERY_LIMIT_EXCEEDED', new Date(until));
      }
      if (res.status >= 500 || (res.status >= 300 && res.status < 400) || (body === null && res.status < 400)) {
        throw new CrmApiError(`Bitrix24 ${method}: HTTP ${res.status}${said ? ` ${said}` : ''}`, 'unavailable', res.status, code);
      }
      if (res.status >= 400 || code !== null || body === null) {
        throw new CrmApiError(`Bitrix24 ${method}: HTTP ${res.status}${said ? ` ${said}` : ''}`, 'refused', res.status, code);
      }
      entry.refusals = 0;
      return { result: body.result as T, ...(body.total !== undefined ? { total: body.total } : {}), ...(body.next !== undefined ? { next: body.next } : {}) };
    },
  };
}

interface RestBody {
  result?: unknown;
  total?: number;
  next?: number;
  error?: string;
  error_description?: string;
}

function parseBody(text: string): RestBody | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as RestBody) : null;
  } catch {
    return null;
  }
}
