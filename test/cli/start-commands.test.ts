import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

/**
 * Every documented way to start the server stops cleanly on one SIGTERM to the command a
 * process manager (or `docker stop`, or a terminal) started: no server left behind as an
 * orphan holding the port and the database. Each command runs in its own process group, so
 * whatever it spawned is found, and killed, even when the test fails.
 */
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'leadrouter-start-'));

/** The live (not yet reaped zombie) processes of a process group, read from /proc. */
function liveMembers(group: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces; the fields after it are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === group && state !== 'Z') out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

const COMMANDS: Array<{ name: string; argv: string[] }> = [
  { name: 'bin/leadrouter.js serve', argv: [join(REPO_ROOT, 'bin', 'leadrouter.js'), 'serve'] },
  { name: 'npm run leadrouter -- serve', argv: ['npm', 'run', '--silent', 'leadrouter', '--', 'serve'] },
  { name: 'npx leadrouter serve', argv: ['npx', '--no-install', 'leadrouter', 'serve'] },
  { name: 'npm start (the demo)', argv: ['npm', 'start', '--silent'] },
];

describe('stopping the server with SIGTERM', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(COMMANDS)('$name stops, and leaves no process behind', async ({ name, argv }) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const [command, ...args] = argv as [string, ...string[]];
    const child: ChildProcess = spawn(command, args, {
      cwd: REPO_ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: join(scratch, name.replace(/\W+/g, '-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const group = child.pid as number;
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < 50_000) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => child.exitCode !== null || (await healthy(url)), 120_000, () => `${name} never answered /health:\n${output}`);
      expect(child.exitCode, output).toBeNull();

      process.kill(group, 'SIGTERM');
      const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
      expect(code, `${name} did not exit within 20 s of SIGTERM:\n${output}`).not.toBe('running');
      await waitFor(() => liveMembers(group).length === 0, 10_000, () => `${name} left processes behind: ${liveMembers(group).join(', ')}\n${output}`);
      expect(await healthy(url)).toBe(false);
    } finally {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // the whole group is already gone
      }
    }
    // The demo's first start writes two weeks of history (about 20 s on a quiet machine).
  }, 240_000);

  it('gives up waiting after SHUTDOWN_TIMEOUT_MS when a client never finishes its request', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '1500', DATA_DIR: join(scratch, 'stuck-client') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let socket: ReturnType<typeof connect> | null = null;
    try {
      await waitFor(async () => child.exitCode !== null || (await healthy(url)), 60_000, () => output);
      socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      // Headers begun and never ended: the server cannot answer it, and will not drop it on its own for a minute.
      await new Promise<void>((resolve) => (socket as ReturnType<typeof connect>).write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n', () => resolve()));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
      expect(code, output).toBe(1);
      expect(output).toMatch(/shutdown did not finish in time/);
    } finally {
      socket?.destroy();
      child.kill('SIGKILL');
    }
  }, 90_000);
});
