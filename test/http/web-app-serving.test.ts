import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.js';
import { buildApp, type LeadRouterApp } from '../../src/http/build-app.js';
import { freshStore } from '../support/databases.js';
import type { Store } from '../../src/store/database.js';

describe('the built web app served at /', () => {
  let dist: string;
  let store: Store;
  let built: LeadRouterApp;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'leadrouter-web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div><script src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dist, 'assets', 'index-abc123.js.gz'), gzipSync('console.log("app")'));
    writeFileSync(join(dist, '.source-hash'), 'secret-ish');
    store = await freshStore('sqlite');
    built = await buildApp({ ctx: createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }), webAppDir: dist });
  });
  afterAll(async () => {
    await built.app.close();
    await built.intake.close();
    await store.close();
    rmSync(dist, { recursive: true, force: true });
  });
  const get = (url: string, method: 'GET' | 'HEAD' = 'GET') => built.app.inject({ method, url });

  it('answers / and any page path of the app with index.html, revalidated on every load', async () => {
    for (const url of ['/', '/leads', '/leads/01a23d97-b7eb-703c-960d-cd0f124e0b77?view=list', '/team']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
    expect((await get('/leads', 'HEAD')).statusCode).toBe(200);
  });

  it('caches hashed assets for a year, and a missing one is a 404, not the app', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const compressed = await built.app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.rawPayload).toString()).toBe('console.log("app")');
    expect((await get('/assets/index-gone.js')).statusCode).toBe(404);
    expect((await get('/favicon.ico')).statusCode).toBe(404);
  });

  it('leaves the API, its docs and health alone, and serves no dotfile', async () => {
    const api = await get('/api/v1/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'LR_ERR_ROUTE_NOT_FOUND' } });
    expect((await get('/api/v1/leads')).statusCode).toBe(401);
    expect((await get('/health')).statusCode).toBe(200);
    expect((await get('/docs/json')).headers['content-type']).toMatch(/json/);
    expect((await get('/.source-hash')).statusCode).toBe(404);
    expect((await get('/assets/../.source-hash')).body).not.toContain('secret-ish');
  });
});
