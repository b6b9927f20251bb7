/**
 * Child processes for benchmarks: spawned with their output kept (the tail is shown when
 * something fails), always killed when the benchmark exits, every wait bounded in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
export { freePort } from '../../test/support/free-port.js';

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines of stdout and stderr, interleaved. */
  tail(lines?: number): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort: whatever way this process ends, no server is left running.
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export function spawnChild(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; ipc?: boolean }): Child {
  installExitHooks();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      lines.push(`[spawn error] ${error.message}`);
      exited = true;
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  return {
    name,
    process: child,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    exited: exitedPromise,
    hasExited: () => exited,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion within `timeoutMs`; rejects with its output tail otherwise. */
export async function runToEnd(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  const child = spawnChild(name, command, args, options);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`${name} did not finish within ${options.timeoutMs / 1000} s:\n${child.tail()}`);
  return { code, output: child.tail(400) };
}

/** Stops a child with SIGTERM (graceful: servers finish what they accepted), SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<{ graceful: boolean }> {
  if (child.hasExited()) return { graceful: true };
  child.process.kill('SIGTERM');
  const result = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!result) {
    child.process.kill('SIGKILL');
    await Promise.race([child.exited, sleep(5_000)]);
  }
  return { graceful: result };
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`${child.name} exited before answering ${url}:\n${child.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s (${last}):\n${child.tail()}`);
}

/** Sends an IPC message and waits for the reply of the given type, bounded in time. */
export async function request<T>(child: Child, message: object, replyType: string, timeoutMs: number): Promise<T> {
  return await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.off('message', onMessage);
      reject(new Error(`${child.name}: no ${replyType} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onMessage = (reply: unknown): void => {
      if (reply && typeof reply === 'object' && (reply as { type?: string }).type === replyType) {
        clearTimeout(timer);
        child.process.off('message', onMessage);
        resolve(reply as T);
      }
    };
    child.process.on('message', onMessage);
    child.process.send(message);
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): where the machine's cores went during a measurement.

const TICKS_PER_SECOND = 100;

/** user+system CPU milliseconds of one process (its threads included). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** user+system CPU milliseconds of every process whose command name is `comm` (e.g. postgres). */
export function commandCpuMs(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Busy and total CPU milliseconds of the whole machine, all cores summed. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The postmaster listening on `port` and its current children (the benchmark's own embedded cluster). */
export function postgresPids(port: number): number[] {
  let postmaster: number | undefined;
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const p = args.indexOf('-p');
      if (p >= 0 && args[p + 1] === String(port)) postmaster = Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  if (postmaster === undefined) return [];
  return [postmaster, ...[...parents].filter(([, ppid]) => ppid === postmaster).map(([pid]) => pid)];
}
