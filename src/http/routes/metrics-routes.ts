import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { LeadRouterError } from '../../app/errors.js';
import type { Metrics } from '../../app/telemetry/metrics.js';
import { LANES } from '../../core/notifications/lanes.js';
import { operationalFigures } from '../../store/metrics-queries.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may scrape: with METRICS_TOKEN set, whoever sends `Authorization: Bearer <token>`;
 * without it, only a scraper on this machine. A request that came through a proxy (it carries
 * X-Forwarded-For, Forwarded, X-Real-IP or Via) is not local, whatever address the proxy
 * connected from; behind a proxy that adds none of them, set METRICS_TOKEN.
 */
function admit(request: FastifyRequest, token: string | undefined): void {
  if (token) {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer ') || !sameSecret(header.slice('Bearer '.length), token)) {
      throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    return;
  }
  const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via'].some((h) => request.headers[h] !== undefined);
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '') || proxied) {
    throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The metrics answer only on this machine; set METRICS_TOKEN to scrape them from elsewhere');
  }
}

export function metricsRoutes(ctx: AppContext, metrics: Metrics, token: string | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['system'],
          summary: 'Prometheus metrics of this process (text exposition format)',
          description: 'Loopback only unless METRICS_TOKEN is set; then `Authorization: Bearer <token>` from anywhere. See docs/operations.md, Metrics.',
          security: [],
        },
      },
      async (request, reply) => {
        admit(request, token);
        const now = ctx.now().getTime();
        const ageSeconds = (at: string | null): number => (at === null ? 0 : Math.max(0, (now - Date.parse(at)) / 1000));
        const figures = await operationalFigures(ctx.store.db);
        metrics.outboxBacklog.set(figures.outboxBacklog);
        metrics.outboxOldestSeconds.set(ageSeconds(figures.outboxOldestAt));
        for (const lane of LANES) {
          const waiting = figures.lanes.find((l) => l.lane === lane);
          metrics.outboxLaneBacklog.set({ lane }, waiting?.waiting ?? 0);
          metrics.outboxLaneOldestSeconds.set({ lane }, ageSeconds(waiting?.oldestAt ?? null));
          const pending = figures.deliveryLanes.find((l) => l.lane === lane);
          metrics.deliveriesLanePending.set({ lane }, pending?.pending ?? 0);
          metrics.deliveryLaneLagSeconds.set({ lane }, ageSeconds(pending?.oldestAt ?? null));
        }
        metrics.deliveriesPending.reset();
        metrics.deliveryLagSeconds.reset();
        for (const d of figures.deliveries) {
          metrics.deliveriesPending.set({ channel: d.channel }, d.pending);
          metrics.deliveryLagSeconds.set({ channel: d.channel }, ageSeconds(d.oldestAt));
        }
        metrics.poolLeads.set(figures.poolLeads);
        const connections = ctx.store.connections?.();
        if (connections) for (const [state, n] of Object.entries(connections)) metrics.databaseConnections.set({ state }, n);
        return await reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    );
  };
}
