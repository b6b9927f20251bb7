import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The Node versions `engines` promises are the ones every installed package accepts: a
 * dependency that declares a newer Node (as cookie 2 did, under @fastify/cookie) would make
 * the promise false on the oldest supported release, which is the one these machines run.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ownRange = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

function installedPackages(dir: string): Array<{ path: string; version: string; node: string | undefined }> {
  const out: Array<{ path: string; version: string; node: string | undefined }> = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.startsWith('@')) {
      out.push(...installedPackages(path));
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; engines?: { node?: unknown } };
      out.push({ path, version: pkg.version ?? '?', node: typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined });
    }
    if (existsSync(join(path, 'node_modules'))) out.push(...installedPackages(join(path, 'node_modules')));
  }
  return out;
}

describe('the Node versions the package supports', () => {
  it('are accepted by every installed dependency, from the oldest supported release up', () => {
    const oldest = semver.minVersion(ownRange)?.version;
    expect(oldest).toBeDefined();
    const refusing = installedPackages(join(ROOT, 'node_modules'))
      .filter((p) => p.node !== undefined && semver.validRange(p.node) !== null && !semver.satisfies(oldest as string, p.node))
      .map((p) => `${p.path.slice(ROOT.length)}@${p.version} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });

  it.each(['22.12.0', '24.0.0'])('include Node %s, where the product must run unchanged', (version) => {
    expect(semver.satisfies(version, ownRange)).toBe(true);
  });
});
