import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/app/config.js';

/** docs/configuration.md lists every environment variable the server reads, and no other. */
describe('docs/configuration.md', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const listed = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1] as string);

  it('has a row for every variable the server reads', () => {
    expect(CONFIG_VARIABLES.filter((v) => !listed.includes(v))).toEqual([]);
  });

  it('has no row for a variable nothing reads', () => {
    expect(listed.filter((v) => !CONFIG_VARIABLES.includes(v))).toEqual([]);
  });
});
