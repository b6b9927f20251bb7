import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/app/api-keys.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { countRows, manager, setUpRouting, startTestApp, type TestApp } from '../support/test-app.js';

const EVERYONE = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'everyone', name: 'Everyone', target: { kind: 'group', managers: ['anna', 'ivan'], strategy: 'round_robin' } }],
  fallback: { kind: 'pool' },
};

interface ErrorAnswer {
  code: string;
  message: string;
  details?: Array<{ path: string; code: string; message: string }>;
}

/** Checks the documented error shape and returns the error for further checks. */
function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorAnswer {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<{ error: ErrorAnswer }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.trim().length).toBeGreaterThan(0);
  for (const d of body.error.details ?? []) {
    expect(d.path.length).toBeGreaterThan(0);
    expect(d.message.length).toBeGreaterThan(0);
  }
  return body.error;
}

const paths = (e: ErrorAnswer): string[] => (e.details ?? []).map((d) => d.path);

async function expectNothingStored(t: TestApp): Promise<void> {
  expect(await countRows(t.store, 'leads')).toBe(0);
  expect(await countRows(t.store, 'assignments')).toBe(0);
  expect(await countRows(t.store, 'events')).toBe(0);
  expect(await countRows(t.store, 'outbox')).toBe(0);
}

const SINGLE = '/api/v1/leads';
const BATCH = '/api/v1/leads/batch';

describe.each(DATABASE_KINDS)('bad input to the intake API on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(kind);
    await setUpRouting(t, { managers: [manager('anna'), manager('ivan')], ruleSet: EVERYONE });
  });
  afterEach(async () => {
    await t.close();
  });

  const postLead = (body: unknown, headers: Record<string, string> = {}) => t.request({ method: 'POST', url: SINGLE, payload: body as object, headers });
  const postBatch = (leads: unknown[], headers: Record<string, string> = {}) => t.request({ method: 'POST', url: BATCH, payload: { leads }, headers });
  const postRaw = (url: string, payload: string, contentType: string) => t.request({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

  describe('field values', () => {
    it.each([
      ['a score sent as text', { score: 'high' }, 'score', 'invalid_type'],
      ['a company size with a fraction', { companySize: 1.5 }, 'companySize', 'invalid_type'],
      ['a product interest sent as a number', { productInterest: 42 }, 'productInterest', 'invalid_union'],
      ['a deal value below zero', { dealValue: -1 }, 'dealValue', 'too_small'],
      ['a custom field holding an object', { custom: { segment: { nested: true } } }, 'custom.segment', 'invalid_union'],
    ])('refuses %s, naming the field, and stores nothing', async (_label, fields, path, code) => {
      const single = expectError(await postLead({ name: 'Lead', ...fields }), 400, 'LR_ERR_VALIDATION');
      expect(single.details).toEqual([expect.objectContaining({ path, code })]);
      expect(single.message).toContain(path);

      const batch = expectError(await postBatch([{ name: 'fine' }, { name: 'Lead', ...fields }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(batch)).toEqual([`leads[1].${path}`]);
      await expectNothingStored(t);
    });

    it('refuses an unknown top-level field and names it, so a typo is seen rather than lost', async () => {
      const one = expectError(await postLead({ name: 'Lead', regoin: 'Moscow' }), 400, 'LR_ERR_VALIDATION');
      expect(one.details).toEqual([expect.objectContaining({ path: 'regoin', code: 'unrecognized_keys' })]);
      expect(one.details?.[0]?.message).toContain('regoin');

      const two = expectError(await postLead({ name: 'Lead', regoin: 'Moscow', phnoe: '+79161234567' }), 400, 'LR_ERR_VALIDATION');
      expect(paths(two).sort()).toEqual(['phnoe', 'regoin']);

      const batch = expectError(await postBatch([{ name: 'ok' }, { name: 'Lead', regoin: 'Moscow' }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(batch)).toEqual(['leads[1].regoin']);
      await expectNothingStored(t);
    });

    it('refuses an unknown field inside utm and names its full path', async () => {
      const one = expectError(await postLead({ name: 'Lead', utm: { source: 'google', sorce: 'yandex' } }), 400, 'LR_ERR_VALIDATION');
      expect(paths(one)).toEqual(['utm.sorce']);
      const batch = expectError(await postBatch([{ name: 'ok' }, { name: 'Lead', utm: { sorce: 'yandex' } }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(batch)).toEqual(['leads[1].utm.sorce']);
      await expectNothingStored(t);
    });

    it('refuses an unknown field at the top of a batch', async () => {
      const e = expectError(await t.request({ method: 'POST', url: BATCH, payload: { leads: [{ name: 'a' }], dryRun: true } }), 400, 'LR_ERR_VALIDATION');
      expect(paths(e)).toEqual(['dryRun']);
      await expectNothingStored(t);
    });

    it('refuses a lead with none of name, phone, email or company name, explaining what is missing', async () => {
      const one = expectError(await postLead({ region: 'Moscow', source: 'website', comment: 'call me' }), 400, 'LR_ERR_VALIDATION');
      expect(one.message).toMatch(/name, phone, email or companyName/);
      expect(paths(one)).toEqual(['(body)']);

      const blanks = expectError(await postLead({ name: '', phones: [], emails: [] }), 400, 'LR_ERR_VALIDATION');
      expect(blanks.message).toMatch(/at least one of/);

      const batch = expectError(await postBatch([{ name: 'ok' }, { region: 'Moscow' }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(batch)).toEqual(['leads[1]']);
      await expectNothingStored(t);
    });

    it.each([
      ['name', 201],
      ['companyName', 301],
      ['email', 321],
      ['comment', 5001],
    ] as const)('refuses a %s longer than its limit', async (field, length) => {
      const e = expectError(await postLead({ phone: '+79161234567', [field]: 'x'.repeat(length) }), 400, 'LR_ERR_VALIDATION');
      expect(e.details).toEqual([expect.objectContaining({ path: field, code: 'too_big' })]);
      const batch = expectError(await postBatch([{ phone: '+79161234567', [field]: 'x'.repeat(length) }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(batch)).toEqual([`leads[0].${field}`]);
      await expectNothingStored(t);
    });

    it('accepts a name of exactly the maximum length', async () => {
      const res = await postLead({ name: 'x'.repeat(200) });
      expect(res.statusCode).toBe(201);
      expect(await countRows(t.store, 'leads')).toBe(1);
    });

    it('refuses an empty batch and a batch that is not a list', async () => {
      expect(paths(expectError(await postBatch([]), 400, 'LR_ERR_VALIDATION'))).toEqual(['leads']);
      const notList = expectError(await t.request({ method: 'POST', url: BATCH, payload: { leads: { name: 'a' } } }), 400, 'LR_ERR_VALIDATION');
      expect(paths(notList)).toEqual(['leads']);
      await expectNothingStored(t);
    });

    it('refuses a JSON body that is not an object', async () => {
      for (const payload of ['[]', 'null', '"Ivan"', '42', '[{"name":"a"}]']) {
        const e = expectError(await postRaw(SINGLE, payload, 'application/json'), 400, 'LR_ERR_VALIDATION');
        expect(paths(e)).toEqual(['(body)']);
      }
      await expectNothingStored(t);
    });
  });

  describe('the body itself', () => {
    it.each([SINGLE, BATCH])('answers LR_ERR_INVALID_JSON for broken JSON on %s', async (url) => {
      const e = expectError(await postRaw(url, '{"name":', 'application/json'), 400, 'LR_ERR_INVALID_JSON');
      expect(e.message).toMatch(/not valid JSON/);
      await expectNothingStored(t);
    });

    it.each([SINGLE, BATCH])('answers LR_ERR_INVALID_JSON for an empty JSON body on %s', async (url) => {
      const e = expectError(await postRaw(url, '', 'application/json'), 400, 'LR_ERR_INVALID_JSON');
      expect(e.message).toMatch(/empty/);
      await expectNothingStored(t);
    });

    it('refuses a body with no content at all', async () => {
      expectError(await t.request({ method: 'POST', url: SINGLE }), 400, 'LR_ERR_VALIDATION');
      await expectNothingStored(t);
    });

    it.each([
      ['text/plain', 'name=Ivan'],
      ['text/plain; charset=utf-8', '{"name":"Ivan"}'],
      ['application/x-www-form-urlencoded', 'name=Ivan&phone=%2B79161234567'],
      ['application/xml', '<lead><name>Ivan</name></lead>'],
    ])('answers 415 for a body sent as %s, naming the type and what to send', async (contentType, payload) => {
      for (const url of [SINGLE, BATCH]) {
        const e = expectError(await postRaw(url, payload, contentType), 415, 'LR_ERR_UNSUPPORTED_MEDIA_TYPE');
        expect(e.message).toContain(contentType.split(';')[0]);
        expect(e.message).toContain('application/json');
      }
      await expectNothingStored(t);
    });

    it('accepts JSON with a charset in the content type', async () => {
      const res = await postRaw(SINGLE, JSON.stringify({ name: 'Ivan' }), 'application/json; charset=utf-8');
      expect(res.statusCode).toBe(201);
      expect(await countRows(t.store, 'leads')).toBe(1);
    });

    it('answers 413 LR_ERR_BODY_TOO_LARGE for a body over the configured limit', async () => {
      const small = await startTestApp(kind, { bodyLimitBytes: 1024 });
      try {
        await setUpRouting(small, { managers: [manager('anna'), manager('ivan')], ruleSet: EVERYONE });
        const big = { name: 'Big', comment: 'x'.repeat(2000) };
        expectError(await small.request({ method: 'POST', url: SINGLE, payload: big }), 413, 'LR_ERR_BODY_TOO_LARGE');
        expectError(await small.request({ method: 'POST', url: BATCH, payload: { leads: [big] } }), 413, 'LR_ERR_BODY_TOO_LARGE');
        await expectNothingStored(small);
        // The same app still takes a body under the limit.
        expect((await small.request({ method: 'POST', url: SINGLE, payload: { name: 'Small' } })).statusCode).toBe(201);
      } finally {
        await small.close();
      }
    });

    it('keeps text with emoji, control and right-to-left characters exactly as sent', async () => {
      const res = await postLead({ name: 'Ольга 🧪', comment: 'RTL \u202e text\u0007', custom: { note: 'tab\tand\nnewline' } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().lead).toMatchObject({ name: 'Ольга 🧪', comment: 'RTL \u202e text\u0007', custom: { note: 'tab\tand\nnewline' } });
    });

    it('refuses text holding a NUL character with the path of the field, on every database alike', async () => {
      const one = expectError(await postLead({ name: 'Zero\u0000Byte' }), 400, 'LR_ERR_VALIDATION');
      expect(one.details).toEqual([expect.objectContaining({ path: 'name', code: 'invalid_character' })]);
      const nested = expectError(await postBatch([{ name: 'ok' }, { name: 'ok', custom: { note: 'a\u0000b' } }]), 400, 'LR_ERR_VALIDATION');
      expect(paths(nested)).toEqual(['leads[1].custom.note']);
      const query = expectError(await t.request({ method: 'GET', url: '/api/v1/leads?region=Mos%00cow' }), 400, 'LR_ERR_VALIDATION');
      expect(paths(query)).toEqual(['query.region']);
      const param = expectError(await t.request({ method: 'GET', url: '/api/v1/leads/a%00b' }), 400, 'LR_ERR_VALIDATION');
      expect(paths(param)).toEqual(['params.id']);
      await expectNothingStored(t);
    });

    it('refuses JSON nested absurdly deep with a 400 instead of failing', async () => {
      const depth = 50_000;
      const payload = `{"name":"Deep","custom":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const e = expectError(await postRaw(SINGLE, payload, 'application/json'), 400, 'LR_ERR_VALIDATION');
      expect(e.details?.[0]).toMatchObject({ code: 'too_deep' });
      expect(e.details?.[0]?.path).toMatch(/^custom\.x\[0\]/);
      await expectNothingStored(t);
    });
  });

  describe('API keys', () => {
    it('answers 401 when no API key is sent', async () => {
      const e = expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
      expect(e.message).toMatch(/X-Api-Key/);
      expectError(await t.request({ method: 'GET', url: SINGLE, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
      await expectNothingStored(t);
    });

    it('answers 401 for a key it never issued, in either header', async () => {
      expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: 'lr_not-a-real-key' }), 401, 'LR_ERR_UNAUTHORIZED');
      expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: null, headers: { authorization: 'Bearer lr_not-a-real-key' } }), 401, 'LR_ERR_UNAUTHORIZED');
      expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: 'x'.repeat(500) }), 401, 'LR_ERR_UNAUTHORIZED');
      await expectNothingStored(t);
    });

    it('checks the key before reading the body, so a caller without a key learns nothing about the schema', async () => {
      expectError(await t.request({ method: 'POST', url: SINGLE, payload: '{"name":', headers: { 'content-type': 'application/json' }, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
      expectError(await t.request({ method: 'POST', url: SINGLE, payload: { regoin: 1 }, key: null }), 401, 'LR_ERR_UNAUTHORIZED');
    });

    it('accepts a valid key sent as a Bearer token', async () => {
      const res = await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: null, headers: { authorization: `Bearer ${t.key}` } });
      expect(res.statusCode).toBe(201);
    });

    it('answers 401 for a revoked key', async () => {
      const { key, plaintext } = await createApiKey(t.ctx, { name: 'old form', scopes: ['leads:write'] });
      // Revoked before its first use: the verifier caches what it has seen for a few seconds.
      expect(await revokeApiKey(t.store.db, key.id, t.ctx.now().toISOString())).toBe(true);
      const e = expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: plaintext }), 401, 'LR_ERR_UNAUTHORIZED');
      expect(e.message).toMatch(/revoked/);
      await expectNothingStored(t);
    });

    it('answers 403 when a read-only key posts a lead, yet the same key may read', async () => {
      const reader = await t.keyWithScopes(['leads:read']);
      const e = expectError(await t.request({ method: 'POST', url: SINGLE, payload: { name: 'Ivan' }, key: reader }), 403, 'LR_ERR_FORBIDDEN');
      expect(e.message).toContain('leads:write');
      expectError(await t.request({ method: 'POST', url: BATCH, payload: { leads: [{ name: 'Ivan' }] }, key: reader }), 403, 'LR_ERR_FORBIDDEN');
      await expectNothingStored(t);
      expect((await t.request({ method: 'GET', url: SINGLE, key: reader })).statusCode).toBe(200);
    });

    it('answers 403 when a write-only key lists leads', async () => {
      const writer = await t.keyWithScopes(['leads:write']);
      expectError(await t.request({ method: 'GET', url: SINGLE, key: writer }), 403, 'LR_ERR_FORBIDDEN');
    });
  });

  describe('headers, routes and query parameters', () => {
    it.each(['form 42', 'clé-1', 'x'.repeat(201)])('refuses the Idempotency-Key %j and stores nothing', async (idempotencyKey) => {
      const e = expectError(await postLead({ name: 'Ivan' }, { 'idempotency-key': idempotencyKey }), 400, 'LR_ERR_VALIDATION');
      expect(paths(e)).toEqual(['headers.idempotency-key']);
      await expectNothingStored(t);
    });

    it('answers 404 LR_ERR_ROUTE_NOT_FOUND for an endpoint that does not exist, naming it', async () => {
      const e = expectError(await t.request({ method: 'GET', url: '/api/v1/leds?limit=5' }), 404, 'LR_ERR_ROUTE_NOT_FOUND');
      expect(e.message).toContain('/api/v1/leds');
      expect(e.message).not.toContain('limit=5');
      expectError(await t.request({ method: 'DELETE', url: SINGLE }), 404, 'LR_ERR_ROUTE_NOT_FOUND');
      expectError(await t.request({ method: 'POST', url: '/api/v2/leads', payload: { name: 'Ivan' }, key: null }), 404, 'LR_ERR_ROUTE_NOT_FOUND');
      await expectNothingStored(t);
    });

    it.each([
      ['limit=0', 'query.limit', 'too_small'],
      ['limit=501', 'query.limit', 'too_big'],
      ['limit=abc', 'query.limit', 'invalid_type'],
      ['limit=2.5', 'query.limit', 'invalid_type'],
      ['createdFrom=yesterday', 'query.createdFrom', 'invalid_format'],
      ['duplicates=maybe', 'query.duplicates', 'invalid_value'],
      ['colour=red', 'query.colour', 'unrecognized_keys'],
    ])('refuses the query %s with a detail at %s', async (query, path, code) => {
      const e = expectError(await t.request({ method: 'GET', url: `/api/v1/leads?${query}` }), 400, 'LR_ERR_VALIDATION');
      expect(e.details).toEqual([expect.objectContaining({ path, code })]);
      expect(e.message).toContain(path);
    });

    it('answers 404 for a lead id that does not exist, and a documented 400 for an absurdly long or badly encoded one', async () => {
      expectError(await t.request({ method: 'GET', url: '/api/v1/leads/nope' }), 404, 'LR_ERR_NOT_FOUND');
      const long = expectError(await t.request({ method: 'GET', url: `/api/v1/leads/${'x'.repeat(150)}` }), 400, 'LR_ERR_VALIDATION');
      expect(long.message).toMatch(/path parameter/);
      const encoded = expectError(await t.request({ method: 'GET', url: '/api/v1/leads/%E0%A4%A' }), 400, 'LR_ERR_VALIDATION');
      expect(encoded.message).toMatch(/percent-encoded/);
    });
  });
});

describe('random bodies posted to the intake API (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await setUpRouting(t, { managers: [manager('anna'), manager('ivan')], ruleSet: EVERYONE });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Posts raw text; every answer is a stored lead (201) or a documented 4xx that stored nothing. */
  async function postAndCheck(payload: string): Promise<void> {
    const before = await countRows(t.store, 'leads');
    const res = await t.request({ method: 'POST', url: SINGLE, payload, headers: { 'content-type': 'application/json' } });
    const after = await countRows(t.store, 'leads');
    if (res.statusCode === 201) {
      expect(after).toBe(before + 1);
      expect(res.json().lead.id).toEqual(expect.any(String));
      return;
    }
    expect(res.statusCode, `${payload} → ${res.body}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${payload} → ${res.body}`).toBeLessThan(500);
    const body = res.json<{ error: ErrorAnswer }>();
    expect(body.error.code).toMatch(/^LR_ERR_[A-Z_]+$/);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(after, 'an error answer stored a lead').toBe(before);
  }

  it('answers any JSON value with a stored lead or a clear 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await postAndCheck(JSON.stringify(value));
      }),
      { numRuns: 100 },
    );
  });

  it('answers anything a client might serialise with a stored lead or a clear 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withBoxedValues: true, withNullPrototype: true, withSparseArray: true }), async (value) => {
        await postAndCheck(JSON.stringify(value) ?? '');
      }),
      { numRuns: 100 },
    );
  });

  it('answers lead-shaped bodies with odd values in every field with a stored lead or a clear 4xx', async () => {
    const odd = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.jsonValue(), fc.double(), fc.integer());
    const leadish = fc.record(
      {
        name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 50 }), odd),
        phone: fc.oneof(fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/), odd),
        phones: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), odd),
        email: fc.oneof(fc.emailAddress(), fc.string(), odd),
        emails: fc.array(fc.oneof(fc.emailAddress(), fc.string()), { maxLength: 3 }),
        companyName: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), odd),
        taxId: fc.oneof(fc.stringMatching(/^[0-9]{0,13}$/), odd),
        website: fc.oneof(fc.webUrl(), fc.domain(), fc.string(), odd),
        source: odd,
        country: fc.oneof(fc.stringMatching(/^[A-Za-z]{2}$/), odd),
        language: fc.oneof(fc.constantFrom('ru', 'en-GB', 'kk'), odd),
        companySize: fc.oneof(fc.nat(), odd),
        dealValue: fc.oneof(fc.double({ min: 0, max: 1e13, noNaN: true }), odd),
        score: fc.oneof(fc.integer({ min: 0, max: 100 }), odd),
        productInterest: fc.oneof(fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }), odd),
        priority: fc.oneof(fc.constantFrom('low', 'normal', 'high', 'urgent'), odd),
        utm: fc.oneof(fc.record({ source: fc.string(), medium: fc.string() }, { requiredKeys: [] }), odd),
        custom: fc.oneof(fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 }), odd),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(leadish, async (value) => {
        await postAndCheck(JSON.stringify(value));
      }),
      { numRuns: 150 },
    );
  });
});
