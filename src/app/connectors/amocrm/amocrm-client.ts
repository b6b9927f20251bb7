import { setTimeout as sleep } from 'node:timers/promises';
import { RateBucket } from '../../../core/connectors/rate-bucket.js';
import { CrmApiError } from '../crm-api-error.js';

/**
 * amoCRM: "not more than 7 requests per second" (developers.kommo.com/docs/limitations). A burst
 * of 2 and 5 a second never puts more than 7 into any one-second window.
 */
export const AMOCRM_PACE = { perSecond: 5, burst: 2 } as const;

export interface AmocrmOptions {
  timeoutMs?: number;
  pace?: { perSecond: number; burst: number };
}

export interface AmocrmClient {
  request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
}

const paces = new Map<string, { bucket: RateBucket; refusals: number }>();

/** `romashka`, `romashka.amocrm.ru` or a whole https address (a Kommo account, a local test server) → the account's base URL. */
export function amocrmBaseUrl(account: string): string {
  const value = account.trim();
  if (/^https?:\/\//i.test(value)) {
    const url = new URL(value);
    if (url.pathname !== '/' && url.pathname !== '') throw new Error('the account address has no path: https://<subdomain>.amocrm.ru');
    return url.origin;
  }
  if (/^[a-z0-9-]{2,63}$/i.test(value)) return `https://${value.toLowerCase()}.amocrm.ru`;
  if (/^[a-z0-9-]{2,63}\.(amocrm\.ru|amocrm\.com|kommo\.com)$/i.test(value)) return `https://${value.toLowerCase()}`;
  throw new Error('an amoCRM account is its subdomain (romashka) or address (https://romashka.amocrm.ru)');
}

/** The account's subdomain as its webhooks name it in account[subdomain]; null for an address that is not amoCRM's or Kommo's. */
export function amocrmSubdomainOf(base: string): string | null {
  const host = new URL(base).hostname.toLowerCase();
  const match = /^([a-z0-9-]+)\.(amocrm\.ru|amocrm\.com|kommo\.com)$/.exec(host);
  return match ? (match[1] as string) : null;
}

/**
 * amoCRM API v4 with a long-lived token (Authorization: Bearer). Paced per account at 7 requests
 * a second; 429 closes the account's bucket for a pause that doubles per refusal in a row.
 */
export function amocrmClient(base: string, token: string, options: AmocrmOptions = {}): AmocrmClient {
  const pace = options.pace ?? AMOCRM_PACE;
  const key = `${base}\u0000${pace.perSecond}\u0000${pace.burst}`;
  let entry = paces.get(key);
  if (!entry) {
    entry = { bucket: new RateBucket(pace.perSecond, pace.burst), refusals: 0 };
    paces.set(key, entry);
  }
  const own = entry;
  return {
    async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
      const closed = own.bucket.closedUntilMs();
      if (closed - Date.now() > 5_000) throw new CrmApiError(`amoCRM ${path}: holding back after 429`, 'rate_limited', 429, 'TOO_MANY_REQUESTS', new Date(closed));
      const wait = own.bucket.book(Date.now()) - Date.now();
      if (wait > 0) await sleep(wait);
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'leadrouter-crm', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          redirect: 'manual',
        });
        text = await res.text();
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        throw new CrmApiError(`amoCRM ${method} ${path}: the account did not answer (${cause})`, 'unavailable', null, null);
      }
      if (res.status === 429) {
        own.refusals += 1;
        const until = Date.now() + Math.min(60_000, 1_000 * 2 ** Math.min(own.refusals - 1, 6));
        own.bucket.closeUntil(until);
        throw new CrmApiError(`amoCRM ${method} ${path}: HTTP 429 Too Many Requests`, 'rate_limited', 429, 'TOO_MANY_REQUESTS', new Date(until));
      }
      const said = problemText(text);
      if (res.status >= 500 || (res.status >= 300 && res.status < 400)) throw new CrmApiError(`amoCRM ${method} ${path}: HTTP ${res.status}${said ? ` ${said}` : ''}`, 'unavailable', res.status, null);
      if (res.status >= 400) throw new CrmApiError(`amoCRM ${method} ${path}: HTTP ${res.status}${said ? ` ${said}` : ''}`, 'refused', res.status, null);
      own.refusals = 0;
      if (res.status === 204 || text === '') return null as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CrmApiError(`amoCRM ${method} ${path}: the answer is not JSON`, 'unavailable', res.status, null);
      }
    },
  };
}

/** application/problem+json: `{title, detail, validation-errors}`, shortened. */
function problemText(text: string): string {
  try {
    const p = JSON.parse(text) as { title?: unknown; detail?: unknown };
    return [p.title, p.detail].filter((v) => typeof v === 'string' && v !== '').join(' — ').slice(0, 300);
  } catch {
    return '';
  }
}
