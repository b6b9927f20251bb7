import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the browser app's fallback. */
const SERVER_PREFIXES = ['/api/', '/docs', '/health'];

/** Hashed files never change under their name, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built browser app (web/dist) at `/`: hashed assets with long-lived caching,
 * index.html revalidated on every load, and index.html for any other page path so the app's
 * own router handles deep links (`/leads/…`). Returns the fallback for the not-found handler,
 * or null when the app is not built.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<((request: FastifyRequest, reply: FastifyReply) => boolean) | null> {
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) return null;
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    index: 'index.html',
    cacheControl: false,
    // The build leaves .br and .gz beside each asset (scripts/ensure-web-build.mjs).
    preCompressed: true,
    // The build's own stamp (.source-hash) and any other dotfile are not for browsers.
    dotfiles: 'ignore',
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes(`${join(distDir, 'assets')}`) ? IMMUTABLE : 'no-cache');
    },
  });
  const indexHtml = readFileSync(indexFile);
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (SERVER_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) return false;
    // A missing hashed file is a real 404 (an old tab after a deploy), not a page of the app; nor is a missing file.
    if (path.startsWith('/assets/') || /\/[^/]*\.[^/]*$/.test(path)) return false;
    void reply.code(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    return true;
  };
}
