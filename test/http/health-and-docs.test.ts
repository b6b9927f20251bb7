import { LATEST_SCHEMA_VERSION } from '../../src/store/migrate.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../src/app/version.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown>; additionalProperties?: unknown } }> };
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  security?: Array<Record<string, string[]>>;
  components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function operations(doc: OpenApiDocument): Array<{ path: string; method: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** An operation's own security, or the document's when it declares none (OpenAPI 3 rules). */
const effectiveSecurity = (doc: OpenApiDocument, op: Operation) => op.security ?? doc.security ?? [];

describe.each(DATABASE_KINDS)('health and API documentation on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers /health with the database kind, schema version and app version, without an API key', async () => {
    const res = await t.request({ method: 'GET', url: '/health', key: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ status: 'ok', database: kind, schemaVersion: LATEST_SCHEMA_VERSION, version: APP_VERSION });
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers /health even when the caller sends a key that is not valid', async () => {
    const res = await t.request({ method: 'GET', url: '/health', key: 'lr_wrong' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ok');
  });

  it('answers /health with 503 LR_ERR_UNAVAILABLE when the database does not answer', async () => {
    const down = await startTestApp(kind);
    try {
      await down.store.close();
      const res = await down.request({ method: 'GET', url: '/health', key: null });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'LR_ERR_UNAVAILABLE', message: expect.stringMatching(/database/) } });
    } finally {
      await down.app.close();
    }
  });

  it('serves an OpenAPI document without an API key, naming the app and its version', async () => {
    const res = await t.request({ method: 'GET', url: '/docs/json', key: null });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDocument>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'leadrouter API', version: APP_VERSION });
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
  });

  it('documents every public endpoint: leads, batches, rule sets and simulation', async () => {
    const doc = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json<OpenApiDocument>();
    const listed = new Set(operations(doc).map(({ method, path }) => `${method.toUpperCase()} ${path}`));
    for (const expected of [
      'GET /health',
      'POST /api/v1/leads',
      'GET /api/v1/leads',
      'GET /api/v1/leads/{id}',
      'GET /api/v1/leads/{id}/events',
      'POST /api/v1/leads/batch',
      'GET /api/v1/rule-sets',
      'POST /api/v1/rule-sets',
      'GET /api/v1/rule-sets/{version}',
      'PUT /api/v1/rule-sets/{version}',
      'POST /api/v1/rule-sets/validate',
      'POST /api/v1/rule-sets/{version}/publish',
      'POST /api/v1/routing/simulate',
    ]) {
      expect(listed, expected).toContain(expected);
    }
  });

  it('declares the apiKey security on every operation under /api/v1 but sign-in and the first-admin setup, and none on /health', async () => {
    const doc = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json<OpenApiDocument>();
    const api = operations(doc).filter(({ path, method }) => path.startsWith('/api/v1/') && !(path === '/api/v1/session' && method === 'post') && path !== '/api/v1/setup');
    for (const method of ['get', 'post']) expect(effectiveSecurity(doc, doc.paths['/api/v1/setup']?.[method] ?? {})).toEqual([]);
    expect(api.length).toBeGreaterThanOrEqual(10);
    for (const { method, path, op } of api) {
      expect(effectiveSecurity(doc, op), `${method} ${path}`).toContainEqual({ apiKey: [] });
    }
    // Probes call /health without a key; the document must not claim one is needed.
    for (const probe of ['/health', '/health/live', '/health/ready']) expect(effectiveSecurity(doc, doc.paths[probe]?.get ?? {}), probe).toEqual([]);
  });

  it('describes the lead body as strict JSON, so clients see which fields exist', async () => {
    const doc = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json<OpenApiDocument>();
    const schema = doc.paths['/api/v1/leads']?.post?.requestBody?.content?.['application/json']?.schema;
    expect(schema?.additionalProperties).toBe(false);
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['name', 'phone', 'email', 'companyName', 'utm', 'custom', 'score']));
    expect(Object.keys(doc.paths['/api/v1/leads']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400']));
  });

  it('serves the interactive documentation page', async () => {
    const res = await t.request({ method: 'GET', url: '/docs', key: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
