import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/app/errors.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `(LR_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));

  it('lists every error code the API can answer, with its HTTP status', () => {
    const inCode = Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, e.status]));
    expect(Object.fromEntries(documented)).toEqual(inCode);
  });
});
