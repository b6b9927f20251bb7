#!/usr/bin/env node
// Builds the browser app (web/dist) when it is missing or older than its sources, so
// `npm start` and `npm test` serve the current app on a fresh clone with no extra command.
// Staleness is a hash of every input of the build, kept in web/dist/.source-hash.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'web', 'dist');
const stamp = join(dist, '.source-hash');
const INPUTS = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'web/postcss.config.cjs', 'src/core', 'package-lock.json'];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).sort().flatMap((name) => files(join(path, name)));
}

const hash = createHash('sha256');
for (const file of INPUTS.flatMap(files)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
const current = hash.digest('hex');

if (existsSync(join(dist, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) process.exit(0);

console.log('building the web app (web/dist)…');
const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('the web app did not build; see the errors above');
  process.exit(result.status ?? 1);
}
// Compressed once here, so the server sends .br or .gz to browsers that take them (preCompressed).
for (const file of files('web/dist/assets').filter((f) => /\.(js|css|svg)$/.test(f))) {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
writeFileSync(stamp, current);
