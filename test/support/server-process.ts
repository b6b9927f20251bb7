import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `leadrouter serve` child process on its own port. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx src/cli/main.ts serve` from the repository root with `env` on top of
 * a minimal environment; with `cwd`, starts the installed command (`bin/leadrouter.js serve`) from
 * that directory instead, as a user does.
 */
export async function spawnServer(env: Record<string, string>, args: string[] = [], options: { cwd?: string } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const command = options.cwd ? [join(REPO_ROOT, 'bin', 'leadrouter.js'), 'serve', ...args] : ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args];
  const child = spawn(process.execPath, command, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 100_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls /health until it answers 200; fails early with the process output if the process exits. */
export async function waitUntilHealthy(server: ServerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`server ${server.url} exited (${server.child.exitCode ?? server.child.signalCode}) before it was healthy:\n${server.output()}`);
    }
    try {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server ${server.url} not healthy after ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
