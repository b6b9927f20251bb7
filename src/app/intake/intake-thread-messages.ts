import type { DatabaseTarget } from '../../store/database.js';
import { LeadRouterError, type ErrorCode, type FieldIssue } from '../errors.js';
import type { IntakeRequest, IntakeResult } from './intake-leads.js';

/** What the intake thread is started with. */
export interface IntakeThreadData {
  target: DatabaseTarget;
  config: { defaultCountry: string; intakeMaxBatch: number };
}

/**
 * Requests sent in one turn of the sender's event loop, read at `at` on the sender's clock (the
 * thread decides by the latest it was sent), with the sender's settings generation.
 */
export interface RequestsMessage {
  type: 'requests';
  at: number;
  settingsGeneration: number;
  requests: Array<{ id: number; request: IntakeRequest }>;
}

export type ToThread = RequestsMessage | { type: 'close' };

/** Answers, each after its transaction committed and the commit is durable. */
export interface AnswersMessage {
  type: 'answers';
  answers: Array<{ id: number; result: WireResult } | { id: number; error: WireError }>;
}

export type FromThread = AnswersMessage | { type: 'closed' };

/** An error as it crosses the thread boundary: structured cloning keeps only an Error's message. */
export interface WireError {
  leadRouterCode?: ErrorCode;
  details?: FieldIssue[];
  /** A driver's code (SQLITE_BUSY, a PostgreSQL SQLSTATE), which the HTTP layer maps to 503. */
  code?: string;
  message: string;
  stack?: string;
}

export type WireResult = IntakeResult | { ok: false; wireError: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof LeadRouterError) return { leadRouterCode: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}), ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { message: String(error) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.leadRouterCode) return new LeadRouterError(wire.leadRouterCode, wire.message, wire.details);
  const error = new Error(wire.message) as Error & { code?: string };
  if (wire.code) error.code = wire.code;
  if (wire.stack) error.stack = `${wire.stack}\n    (in the intake thread)`;
  return error;
}

/**
 * Results as they are sent back: the trace goes only as the JSON text that was stored (answers
 * embed it as it is), not as the object graph it came from, which would be cloned field by field.
 */
export function toWireResult(result: IntakeResult): WireResult {
  if (!result.ok) return { ok: false, wireError: toWireError(result.error) };
  return {
    ok: true,
    items: result.items.map((item) => {
      const { trace, ...assignment } = item.assignment;
      return { ...item, assignment: { ...assignment, trace: undefined, traceJson: assignment.traceJson ?? JSON.stringify(trace) } };
    }),
  };
}

export function fromWireResult(wire: WireResult): IntakeResult {
  if ('wireError' in wire) return { ok: false, error: fromWireError(wire.wireError) as LeadRouterError };
  return wire;
}
