import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
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
  return (error.validation as Array<{ instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }>).map((v) => {
    const segments: Array<string | number> = v.instancePath.split('/').filter(Boolean);
    if (prefix) segments.unshift(prefix);
    const keys = v.params?.keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length === 1) segments.push(String(keys[0]));
    const path = toFieldPath(segments) || '(body)';
    return { path, code: v.keyword, message: v.message ?? 'invalid value' };
  });
}

/** Maps any error to the documented `{ error: { code, message, details } }` answer; one place for the whole API. */
export function errorToReply(error: unknown): { status: number; body: ErrorBody } {
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
      return reply('LR_ERR_UNSUPPORTED_MEDIA_TYPE', `Content type ${JSON.stringify(e.message.split(': ')[1] ?? '')} is not accepted; send application/json`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply('LR_ERR_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply('LR_ERR_INVALID_JSON', 'The body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply('LR_ERR_INVALID_JSON', `The body is not valid JSON: ${e.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply('LR_ERR_VALIDATION', 'Content-Length does not match the body');
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return reply('LR_ERR_RATE_LIMITED');
  }
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return reply('LR_ERR_INVALID_JSON', `The body is not valid JSON: ${e.message}`);
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
  const { status, body } = errorToReply(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  await replyTo.code(status).type('application/json; charset=utf-8').send(body);
}
