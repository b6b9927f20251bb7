import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { unstorableTextProblem } from '../app/storable-text.js';
import { ERRORS, isLeadRouterError, LeadRouterError, type ErrorCode, type FieldIssue } from '../app/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: FieldIssue[] };
}

/** `/leads/3/phone` → `leads[3].phone`, the path form the API documents. */
export function toFieldPath(segments: Array<string | number | symbol>): string {
  let path = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(String(s))) path += `[${String(s)}]`;
    else path += path ? `.${String(s)}` : String(s);
  }
  return path;
}

function validationIssues(error: FastifyError & { validation: unknown[]; validationContext?: string }): FieldIssue[] {
  const prefix = error.validationContext && error.validationContext !== 'body' ? `${error.validationContext === 'querystring' ? 'query' : error.validationContext}` : '';
  return (error.validation as Array<{ instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }>).flatMap((v) => {
    const segments: Array<string | number> = v.instancePath.split('/').filter(Boolean);
    if (prefix) segments.unshift(prefix);
    const keys = v.params?.keys;
    // One detail per unknown key, so each path names the field to remove.
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return keys.map((k) => ({ path: toFieldPath([...segments, String(k)]), code: v.keyword, message: `Unrecognized key: ${JSON.stringify(String(k))}` }));
    }
    const path = toFieldPath(segments) || '(body)';
    return [{ path, code: v.keyword, message: v.message ?? 'invalid value' }];
  });
}

/** Deeper JSON than any rule set needs; validators recurse, so deeper input would overflow the stack. */
export const MAX_INPUT_DEPTH = 64;

/**
 * Refuses, before validation and on every database alike, input no store could keep or no
 * validator could walk: text with U+0000 (PostgreSQL cannot store it) and JSON nested deeper
 * than MAX_INPUT_DEPTH. Walks iteratively, so the check itself cannot overflow.
 */
export async function refuseUnstorableInput(request: FastifyRequest): Promise<void> {
  type Node = { value: unknown; depth: number; key: string | number | null; parent: Node | null };
  const refuse = (node: Node, code: string, problem: string): LeadRouterError => {
    const segments: Array<string | number> = [];
    for (let n: Node | null = node; n; n = n.parent) if (n.key !== null) segments.unshift(n.key);
    const path = toFieldPath(segments) || '(body)';
    return new LeadRouterError('LR_ERR_VALIDATION', `${path}: ${problem}`, [{ path, code, message: problem }]);
  };
  const stack: Node[] = [
    { value: request.body, depth: 0, key: null, parent: null },
    { value: request.query, depth: 0, key: 'query', parent: null },
    { value: request.params, depth: 0, key: 'params', parent: null },
  ];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value, depth } = node;
    if (typeof value === 'string') {
      const problem = unstorableTextProblem(value);
      if (problem) throw refuse(node, 'invalid_character', problem);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_INPUT_DEPTH) throw refuse(node, 'too_deep', `nested deeper than ${MAX_INPUT_DEPTH} levels`);
      const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      for (const [key, child] of entries) {
        const childNode: Node = { value: child, depth: depth + 1, key, parent: node };
        const keyProblem = typeof key === 'string' ? unstorableTextProblem(key) : null;
        if (keyProblem) throw refuse(childNode, 'invalid_character', `a key: ${keyProblem}`);
        stack.push(childNode);
      }
    }
  }
}

/**
 * Errors that mean "the database cannot be reached or is overloaded", from pg, the socket or
 * SQLite: the request is retryable, so the caller gets a 503 rather than a 500.
 */
const DATABASE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300', 'SQLITE_BUSY']);

/**
 * pg's own errors when a connection is lost carry no code, only these messages: the server went
 * away in the middle of a query, or no connection could be had in time.
 */
const CONNECTION_LOST = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

/**
 * The database cannot grow: its disk (or SQLite's max_page_count) is full. SQLite rolls the
 * statement or transaction back and the file stays sound; PostgreSQL's disk_full (53100) is the
 * same. Retryable once space is freed; reads go on working meanwhile.
 */
const STORAGE_FULL = new Set(['SQLITE_FULL', '53100', 'ENOSPC']);

/** Maps any error to the documented `{ error: { code, message, details } }` answer; one place for the whole API. */
export function errorToReply(error: unknown, contentType?: string): { status: number; body: ErrorBody } {
  if (isLeadRouterError(error)) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } } };
  }
  const e = error as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e) || Array.isArray((e as { validation?: unknown }).validation)) {
    const details = validationIssues(e as FastifyError & { validation: unknown[] });
    const first = details[0];
    const message = first ? `${first.path}: ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}` : ERRORS.LR_ERR_VALIDATION.message;
    return reply('LR_ERR_VALIDATION', message, details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      // fastify's error carries no media type, so name the one the request sent.
      return reply('LR_ERR_UNSUPPORTED_MEDIA_TYPE', contentType ? `Content type ${JSON.stringify(contentType.split(';')[0]?.trim() ?? contentType)} is not accepted; send application/json` : undefined);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply('LR_ERR_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply('LR_ERR_INVALID_JSON', 'The body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply('LR_ERR_INVALID_JSON', `The body is not valid JSON: ${e.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply('LR_ERR_VALIDATION', 'Content-Length does not match the body');
    case 'FST_ERR_BAD_URL':
      return reply('LR_ERR_VALIDATION', 'The URL is not validly percent-encoded');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return reply('LR_ERR_VALIDATION', 'A path parameter is longer than the server accepts');
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return reply('LR_ERR_RATE_LIMITED');
  }
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return reply('LR_ERR_INVALID_JSON', `The body is not valid JSON: ${e.message}`);
  }
  if (typeof e.code === 'string' && STORAGE_FULL.has(e.code)) {
    return reply('LR_ERR_STORAGE_FULL', 'The database has no room left (its disk is full); nothing was stored. Reading still works. Retry with the same Idempotency-Key once space is freed.');
  }
  if ((typeof e.code === 'string' && DATABASE_UNAVAILABLE.has(e.code)) || (e.code === undefined && e instanceof Error && CONNECTION_LOST.test(e.message))) {
    return reply('LR_ERR_UNAVAILABLE', 'The database is not reachable right now; nothing was stored. Retry with the same Idempotency-Key.');
  }
  if (e.statusCode === 413) return reply('LR_ERR_BODY_TOO_LARGE');
  if (e.statusCode === 415) return reply('LR_ERR_UNSUPPORTED_MEDIA_TYPE');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return reply('LR_ERR_VALIDATION', e.message);
  }
  return reply('LR_ERR_INTERNAL');
}

function reply(code: ErrorCode, message?: string, details?: FieldIssue[]): { status: number; body: ErrorBody } {
  const err = new LeadRouterError(code, message, details);
  return { status: err.status, body: { error: { code: err.code, message: err.message, ...(details ? { details } : {}) } } };
}

export async function sendError(request: FastifyRequest, replyTo: FastifyReply, error: unknown): Promise<void> {
  const { status, body } = errorToReply(error, request.headers['content-type']);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  if (isLeadRouterError(error) && error.retryAfterSeconds !== undefined) void replyTo.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  await replyTo.code(status).type('application/json; charset=utf-8').send(body);
}
