/**
 * What went wrong calling a CRM, by what can be done about it:
 * - `rate_limited`: the CRM said "too many requests" (Bitrix24 QUERY_LIMIT_EXCEEDED, amoCRM 429):
 *   wait `retryAt`, it is no failure of the message;
 * - `unavailable`: the CRM is down or unreachable (network, timeout, 5xx): wait and try again,
 *   the message is never dropped for it;
 * - `refused`: the CRM answered that the request is wrong or not allowed (4xx): retried a few
 *   times with backoff, then kept failed for an admin to look at.
 */
export type CrmErrorKind = 'rate_limited' | 'unavailable' | 'refused';

export class CrmApiError extends Error {
  override name = 'CrmApiError';
  constructor(
    message: string,
    readonly kind: CrmErrorKind,
    readonly status: number | null,
    readonly code: string | null,
    /** For `rate_limited`: when to try again. */
    readonly retryAt: Date | null = null,
  ) {
    super(message);
  }
}
