import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/app/config.js';
import { freePort } from '../support/free-port.js';

/**
 * The deployment files: compose.yaml and .env.example agree with each other and with the
 * variables the server reads; the Dockerfile builds a non-root image of the compiled server.
 * The image itself is built and started only where a Docker daemon answers (not on these
 * machines: the test says so and skips); what the image runs — dist/ without its sources, with
 * NODE_ENV=production — is started here either way.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  stop_grace_period?: string;
}

const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const envExample = new Map(
  read('.env.example')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string]),
);
/** Variables only compose itself reads (to fill in the file), not the server. */
const COMPOSE_ONLY = new Set(['POSTGRES_PASSWORD', 'LEADROUTER_BIND']);

async function dockerAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
const docker = await dockerAnswers();

describe('compose.yaml and .env.example', () => {
  it('run PostgreSQL and two leadrouter processes on their own ports, started once the database is healthy', () => {
    const { postgres, 'leadrouter-1': first, 'leadrouter-2': second } = compose.services;
    expect(postgres?.healthcheck).toBeDefined();
    for (const server of [first, second]) {
      expect(server?.build).toBe('.');
      expect(server?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/leadrouter:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/leadrouter$/);
      expect(server?.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(server?.stop_grace_period).toBeDefined();
    }
    const published = [first, second].flatMap((s) => s?.ports ?? []).map((p) => p.split(':').at(-2));
    expect(new Set(published).size).toBe(2);
  });

  it('name only variables that .env.example documents, and .env.example names only variables something reads', () => {
    const referenced = [...read('compose.yaml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1] as string);
    for (const name of referenced) expect(envExample.has(name), `${name} is used by compose.yaml but missing from .env.example`).toBe(true);
    for (const name of envExample.keys()) expect(COMPOSE_ONLY.has(name) || CONFIG_VARIABLES.includes(name), `${name} in .env.example is read by nothing`).toBe(true);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds in one stage and runs the compiled server as the unprivileged node user in another', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production/m);
    expect(dockerfile).toMatch(/^CMD \[.*"bin\/leadrouter\.js", "serve"\]$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health\/ready/);
  });

  it.skipIf(!docker)('builds an image that starts, answers ready and stops on docker stop (needs a Docker daemon; none answers on this machine)', async () => {
    const tag = `leadrouter-test:${process.pid}`;
    await run('docker', ['build', '-t', tag, ROOT], { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
    const port = await freePort();
    const { stdout } = await run('docker', ['run', '-d', '-p', `127.0.0.1:${port}:3000`, tag]);
    const container = stdout.trim();
    try {
      await waitForReady(`http://127.0.0.1:${port}`, 120_000);
      await run('docker', ['stop', '-t', '30', container], { timeout: 60_000 });
      const { stdout: code } = await run('docker', ['inspect', '-f', '{{.State.ExitCode}}', container]);
      expect(code.trim()).toBe('0');
    } finally {
      await run('docker', ['rm', '-f', container]).catch(() => undefined);
      await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
    }
  }, 20 * 60_000);
});

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("what the image runs: dist/ without its sources, NODE_ENV=production", () => {
  const image = mkdtempSync(join(tmpdir(), 'leadrouter-image-'));
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  it('starts without TypeScript or a build, seeds nothing, answers ready and stops on SIGTERM', async () => {
    // The runtime stage's layout; dependencies are the repository's (the image prunes dev ones).
    for (const path of ['package.json', 'dist', 'web/dist', 'bin', 'scripts/ensure-server-build.mjs']) cpSync(join(ROOT, path), join(image, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules'));
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/leadrouter.js', 'serve', '--demo'], {
      cwd: image,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(image, 'data'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitForReady(`http://127.0.0.1:${port}`, 60_000).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${output}`);
      });
      expect(output).not.toMatch(/compiling the server/);
      const leads = await fetch(`http://127.0.0.1:${port}/api/v1/leads?limit=1`, { headers: { 'x-api-key': 'lr_demo_0000000000000000000000000000' } });
      expect(leads.status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
