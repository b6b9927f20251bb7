#!/usr/bin/env node
// Compiles the server (src/ → dist/) when dist is missing or older than its sources, so
// `npm start`, `npm test` and `bin/leadrouter.js` run the current code on a fresh clone with no
// extra command. Staleness is a hash of every input of the build, kept in dist/.source-hash.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.source-hash');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).sort().flatMap((name) => files(join(path, name)));
}

/** The hash of the build's inputs; exported for bin/leadrouter.js, which checks before it imports. */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function isBuildCurrent(current = sourceHash()) {
  return existsSync(join(dist, 'cli', 'main.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current;
}

/** Builds when stale; returns false (after printing tsc's errors) when the sources do not compile. */
export function ensureServerBuild({ quiet = false } = {}) {
  // An installed image or package ships dist/ without its sources: nothing to compare, nothing to build.
  if (!existsSync(join(root, 'src')) && existsSync(join(dist, 'cli', 'main.js'))) return true;
  const current = sourceHash();
  if (isBuildCurrent(current)) return true;
  if (!quiet) console.error('compiling the server (dist/)…');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    console.error('dist/ is missing or stale and TypeScript is not installed: run `npm ci` (with dev dependencies) first');
    return false;
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('the server did not compile; see the errors above');
    return false;
  }
  writeFileSync(stamp, current);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(ensureServerBuild() ? 0 : 1);
