import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_FIELDS } from '../../src/core/lead-facts.js';
import { CONDITION_OPS, GROUP_STRATEGIES, PROFILE_MATCHES, ruleSetDefinitionSchema } from '../../src/core/routing/rule-set-schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * docs/rules.md and the OpenAPI document describe the rule-set format the validator accepts:
 * every key and every fixed value of the schema appears in the docs (as `code`), and the
 * OpenAPI document carries the format as named component schemas generated from that schema.
 */
const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
const documented = (word: string): boolean => doc.includes(`\`${word}\``) || doc.includes(`"${word}"`);

/** Every property name and every enum / const string in a JSON schema, however deep. */
function vocabulary(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) vocabulary(item, out);
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object') for (const key of Object.keys(o.properties)) out.add(key);
    if (typeof o.const === 'string') out.add(o.const);
    if (Array.isArray(o.enum)) for (const v of o.enum) if (typeof v === 'string') out.add(v);
    for (const value of Object.values(o)) vocabulary(value, out);
  }
  return out;
}

describe('docs/rules.md', () => {
  it('names every key and value the rule-set validator accepts', () => {
    const words = vocabulary(z.toJSONSchema(ruleSetDefinitionSchema, { io: 'input', cycles: 'ref', reused: 'inline' }));
    for (const word of [...CONDITION_OPS, ...GROUP_STRATEGIES, ...PROFILE_MATCHES, 'custom.<name>']) words.add(word);
    expect(words.size).toBeGreaterThan(40);
    expect([...words].filter((w) => !documented(w))).toEqual([]);
  });

  it('lists every lead field a condition may read', () => {
    expect(Object.keys(LEAD_FIELDS).filter((f) => !documented(f))).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => await t.close());

  it('publishes the rule-set format as named component schemas, with descriptions, nested by reference', async () => {
    const openapi = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json<{ components: { schemas: Record<string, { description?: string; properties?: Record<string, unknown> }> } }>();
    const schemas = openapi.components.schemas;
    for (const name of ['RuleSetDefinition', 'OwnershipPolicy', 'Rule', 'RuleCondition', 'RuleComparison', 'RuleTarget', 'RuleFallback']) {
      expect(schemas[name], name).toBeDefined();
      expect(schemas[name]?.description, name).toBeTruthy();
    }
    expect(schemas.RuleSetDefinition?.properties).toMatchObject({ rules: { items: { $ref: '#/components/schemas/Rule' } } });
    expect(JSON.stringify(schemas.RuleCondition)).toContain('#/components/schemas/RuleCondition');
  });
});
