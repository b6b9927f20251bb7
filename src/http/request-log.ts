import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** An incoming id is kept when it is short and plain (no spaces, quotes or control characters that could forge log lines). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is sane (a proxy or the client set it,
 * so one id follows the request across systems), otherwise a new UUID.
 */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Every answer carries `X-Request-Id`; every log line of a request carries it as `reqId` (fastify's
 * request logger). With `accessLog`, one line per request: method, path, status, time, address.
 */
export function registerRequestLog(app: FastifyInstance, options: { accessLog: boolean }): void {
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  if (!options.accessLog) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip },
      'request',
    );
  });
}
