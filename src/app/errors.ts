/**
 * Every error the API can answer, with its HTTP status. docs/errors.md lists the same codes;
 * test/docs/errors-doc.test.ts keeps the two in step.
 */
export const ERRORS = {
  LR_ERR_VALIDATION: { status: 400, message: 'The request does not match the schema' },
  LR_ERR_INVALID_JSON: { status: 400, message: 'The body is not valid JSON' },
  LR_ERR_INVALID_CURSOR: { status: 400, message: 'The pagination cursor is malformed' },
  LR_ERR_UNAUTHORIZED: { status: 401, message: 'Sign in or send a valid API key' },
  LR_ERR_FORBIDDEN: { status: 403, message: 'The caller may not do this' },
  LR_ERR_CSRF: { status: 403, message: 'A change made with the session cookie needs the X-CSRF-Token header' },
  LR_ERR_NOT_FOUND: { status: 404, message: 'No such resource' },
  LR_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint' },
  LR_ERR_CONFLICT: { status: 409, message: 'The resource changed or is in a state that forbids this action' },
  LR_ERR_BODY_TOO_LARGE: { status: 413, message: 'The body is larger than the server accepts' },
  LR_ERR_BATCH_TOO_LARGE: { status: 413, message: 'Too many leads in one batch' },
  LR_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json' },
  LR_ERR_IDEMPOTENCY_MISMATCH: { status: 422, message: 'This Idempotency-Key was used with a different body' },
  LR_ERR_RULE_SET_INVALID: { status: 422, message: 'The rule set has errors' },
  LR_ERR_UNPROCESSABLE: { status: 422, message: 'The request is well-formed but cannot be processed' },
  LR_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests' },
  LR_ERR_INTERNAL: { status: 500, message: 'Internal error; the request was not applied' },
  LR_ERR_UNAVAILABLE: { status: 503, message: 'The service cannot reach its database' },
  LR_ERR_STORAGE_FULL: { status: 503, message: 'The database has no room left to store this' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A detail that points at one input field: `leads[3].phone`. */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

export class LeadRouterError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: FieldIssue[] | undefined;
  /** For a 429 or 503: how many seconds the caller should wait (sent as Retry-After). */
  retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message?: string, details?: FieldIssue[]) {
    super(message ?? ERRORS[code].message);
    this.name = 'LeadRouterError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

export function isLeadRouterError(error: unknown): error is LeadRouterError {
  return error instanceof LeadRouterError;
}
