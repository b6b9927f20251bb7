/**
 * The real server started as `npm start` starts it: `serve --demo` (workers in the process,
 * demo data loaded into an empty database, `--max-semi-space-size=32`), on 127.0.0.1 and a free
 * port, with a random admin API key for the load. It runs the sources through tsx like the other
 * benchmarks (bench/intake.ts), not the compiled dist/ of `bin/leadrouter.js`: on a machine where
 * the sources keep changing, dist/ would be recompiled (minutes under load) before each run; with
 * `compiled: true` (--compiled) it is `bin/leadrouter.js serve --demo` exactly. Its resident
 * memory is read from /proc.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, spawnChild, stopChild, waitForHttp, type Child } from './processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface DemoServer {
  child: Child;
  base: string;
  port: number;
  apiKey: string;
  /** Resident set size of the server process in MB (0 once it is gone). */
  rssMb(): number;
  stop(): Promise<{ graceful: boolean }>;
}

export async function startDemoServer(options: { env: Record<string, string>; port?: number; startTimeoutMs?: number; compiled?: boolean }): Promise<DemoServer> {
  const port = options.port ?? (await freePort());
  const apiKey = `lr_bench_${randomBytes(24).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...options.env, HOST: '127.0.0.1', PORT: String(port), LEADROUTER_ADMIN_API_KEY: apiKey };
  // npm_command would make bin/leadrouter.js follow its launcher: this process is not one.
  delete env.npm_command;
  if (!options.env.DATABASE_URL) delete env.DATABASE_URL;
  const cli = options.compiled ? ['bin/leadrouter.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
  const child = spawnChild('leadrouter serve --demo', process.execPath, ['--max-semi-space-size=32', ...cli, 'serve', '--demo'], { cwd: ROOT, env });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/health`, child, options.startTimeoutMs ?? 300_000);
  } catch (error) {
    await stopChild(child, 5_000);
    throw error;
  }
  const pid = child.process.pid ?? 0;
  return {
    child,
    base,
    port,
    apiKey,
    rssMb: () => rssMbOf(pid),
    stop: () => stopChild(child, 20_000),
  };
}

export function rssMbOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : 0;
  } catch {
    return 0;
  }
}

/** One gauge from the server's Prometheus /metrics (loopback, no token), summed over the label filter. */
export async function scrapeGauge(base: string, name: string, labels: Record<string, string> = {}): Promise<number | null> {
  try {
    const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const text = await res.text();
    let total = 0;
    let seen = false;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const labelText = m[2] ?? '';
      if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
      total += Number(m[3]);
      seen = true;
    }
    return seen ? total : 0;
  } catch {
    return null;
  }
}
