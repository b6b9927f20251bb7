import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_FILE, renderApiSchema } from '../../scripts/generate-api-client.js';

describe('the web app client types', () => {
  it('are generated from the current OpenAPI document (run `npm run api:generate` when this fails)', async () => {
    const committed = readFileSync(API_SCHEMA_FILE, 'utf8');
    const fresh = await renderApiSchema();
    expect(committed === fresh, 'web/src/api/schema.d.ts is out of date: run npm run api:generate').toBe(true);
  });
});
