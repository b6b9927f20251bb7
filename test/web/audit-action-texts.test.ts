import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../web/src/i18n/console/audit.js';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Actions the server writes under a computed name (the lead's topic, a decision, a plan's write). */
const COMPUTED = ['lead.status_changed', 'lead.converted', 'transfer.approved', 'transfer.rejected', 'transfer.cancelled', 'plan.changed', 'plan.copied', 'user.changed_with_password', 'telegram.link', 'telegram.unlink'];

/** The audit actions written by the use cases: every `action: 'entity.verb'` in src/app, and the computed ones. */
function auditActions(): string[] {
  const written = filesUnder('src/app').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)].map((m) => m[1] as string));
  return [...new Set([...written, ...COMPUTED])].sort();
}

describe('the audit log names every action in both languages', () => {
  it.each(['ru', 'en'] as const)('%s', (language) => {
    const actions = audit[language].actions as Record<string, Record<string, string> | undefined>;
    const entities = audit[language].entities as Record<string, string | undefined>;
    const found = auditActions();
    expect(found.length).toBeGreaterThan(60);
    expect(found.filter((a) => { const [entity, verb] = a.split('.') as [string, string]; return !actions[entity]?.[verb]; })).toEqual([]);
    const entityNames = new Set(filesUnder('src/app').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/entity: '([a-z_]+)'/g)].map((m) => m[1] as string)));
    expect([...entityNames].filter((e) => !entities[e])).toEqual([]);
  });
});
