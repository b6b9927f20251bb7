import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ReceivedMail {
  from: string | null;
  to: string[];
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export interface SmtpServerProcess {
  port: number;
  /** What SMTP_URL would be. */
  url: string;
  /** Every message received so far, in order. */
  messages(): ReceivedMail[];
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

/**
 * Starts a real SMTP server (the smtp-server package) as a separate node process on
 * 127.0.0.1; the test reads what it received. Pass `port` to bring one up where a configured
 * SMTP_URL already points.
 */
export async function startSmtpServerProcess(port?: number): Promise<SmtpServerProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/smtp-sink-main.ts', String(listenOn)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const received: ReceivedMail[] = [];
  let output = '';
  let pending = '';
  let onLine: (() => void) | null = null;
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const parsed = JSON.parse(line) as { type: string } & ReceivedMail;
        if (parsed.type === 'listening') resolve();
        else received.push({ from: parsed.from, to: parsed.to, headers: parsed.headers, body: parsed.body });
        onLine?.();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`the SMTP server process exited (${code}) before listening:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await listening.finally(() => clearTimeout(timeout));

  return {
    port: listenOn,
    url: `smtp://127.0.0.1:${listenOn}`,
    messages: () => [...received],
    waitForMessages: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the SMTP server got ${received.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          onLine = resolve;
          setTimeout(resolve, 50);
        });
      }
      return [...received];
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(kill);
    },
  };
}
