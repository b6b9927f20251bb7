import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The app fetches a screen's catalogue (web/src/i18n/areas.ts) with its route (withTexts in
// web/src/app/router.tsx); a screen that used texts its route does not load would show raw keys.
// This follows the static imports from each route's page and from main.tsx and checks that every
// catalogue whose keys a module names literally ('rules.x', `rules.${…}`) is loaded on that route.
const WEB = fileURLToPath(new URL('../../web/src', import.meta.url));
const read = (file: string) => readFileSync(file, 'utf8');
const AREAS = [...read(`${WEB}/i18n/areas.ts`).matchAll(/^ {2}(\w+): \{ ru: /gm)].map((m) => m[1] as string);

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? resolve(WEB, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null;
  if (!base) return null;
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((file) => existsSync(file)) ?? null;
}

const modules = new Map<string, { imports: string[]; areas: string[] }>();
function moduleAt(file: string) {
  let found = modules.get(file);
  if (!found) {
    const source = read(file);
    const specs = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...source.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1] as string);
    found = {
      imports: specs.map((spec) => resolveImport(file, spec)).filter((f): f is string => f !== null && !f.includes('/i18n/')),
      areas: AREAS.filter((area) => new RegExp(`['\`]${area}\\.[a-zA-Z$]`).test(source)),
    };
    modules.set(file, found);
  }
  return found;
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  for (let file = stack.pop(); file !== undefined; file = stack.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...moduleAt(file).imports);
  }
  return seen;
}

const start = reachable(`${WEB}/main.tsx`);
const routes = [...read(`${WEB}/app/router.tsx`).matchAll(/^const (\w+) = lazy\(.*?import\('([^']+)'\)((?:, '\w+')*)\)/gm)].map((m) => ({
  page: m[1] as string,
  file: resolveImport(`${WEB}/app/router.tsx`, m[2] as string) as string,
  loads: [...(m[3] ?? '').matchAll(/'(\w+)'/g)].map((x) => x[1] as string),
}));

describe('the texts each route loads', () => {
  it('finds the routes and catalogues', () => {
    expect(AREAS.length).toBeGreaterThan(10);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('leave the first load without any screen catalogue', () => {
    const used = [...start].flatMap((file) => moduleAt(file).areas.map((area) => `${area} (${file.slice(WEB.length + 1)})`));
    expect(used).toEqual([]);
  });

  it.each(routes)('$page loads every catalogue its screens use', ({ file, loads }) => {
    const used = [...reachable(file)].filter((f) => !start.has(f)).flatMap((f) => moduleAt(f).areas.filter((area) => !loads.includes(area)).map((area) => `${area} (${f.slice(WEB.length + 1)})`));
    expect(used).toEqual([]);
  });
});
