import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_METRICS } from '../../src/core/motivation/metrics.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * docs/reports.md defines every figure the reports answer: each field of each report's answer
 * (as its OpenAPI schema declares it) is named there in backticks, so a field added to the code
 * without a definition fails here. (test/http/reports.test.ts checks the answers match the schemas.)
 */
const REPORTS = ['distribution', 'speed-to-lead', 'sla', 'funnel', 'junk', 'transfers'];

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export function fieldNames(schema: Schema | undefined, into = new Set<string>()): Set<string> {
  if (!schema) return into;
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    into.add(name);
    fieldNames(sub, into);
  }
  fieldNames(schema.items, into);
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) fieldNames(s, into);
  return into;
}

/** The text under '## Motivation', up to the next section. */
function motivationSection(doc: string): string {
  const start = doc.indexOf('## Motivation');
  const end = doc.indexOf('\n## ', start + 1);
  return start < 0 ? '' : doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/reports.md', () => {
  const doc = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
  const defined = new Set([...doc.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]));
  let t: TestApp;
  let paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> } }>;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    paths = (await t.request({ method: 'GET', url: '/docs/json', key: null })).json().paths;
  });
  afterAll(async () => await t.close());

  it.each([...REPORTS.map((r) => `/api/v1/reports/${r}`), '/api/v1/settings/reports'])('defines every field %s answers', (path) => {
    const schema = paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema;
    const fields = fieldNames(schema);
    expect(fields.size, path).toBeGreaterThan(1);
    const missing = [...fields].filter((f) => !defined.has(f));
    expect(missing, `fields of ${path} not defined in docs/reports.md`).toEqual([]);
  });

  it.each(['/api/v1/plans', '/api/v1/motivation/plan-fact', '/api/v1/motivation/leaderboard'])('defines every field %s answers in its Motivation section', (path) => {
    const section = motivationSection(doc);
    const own = new Set([...section.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]));
    const fields = fieldNames(paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema);
    expect(fields.size, path).toBeGreaterThan(1);
    expect([...fields].filter((f) => !own.has(f)), `fields of ${path} not defined under "## Motivation" in docs/reports.md`).toEqual([]);
  });

  it('names every plan metric the code knows, and no other', () => {
    const section = motivationSection(doc);
    const table = [...section.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(table).toEqual([...PLAN_METRICS]);
  });

  it('has a section per report', () => {
    for (const title of ['## Distribution', '## Speed to lead', '## SLA', '## Funnel', '## Junk', '## Transfers and pool', '## Motivation']) expect(doc).toContain(title);
  });
});
