import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChannelOutage, type OutageServer } from '../../bench/support/channel-outage-run.js';
import { rssMbOf } from '../../bench/support/demo-server.js';
import { databaseTargetFrom, openStore } from '../../src/store/database.js';
import { DATABASE_KINDS, createPostgresDatabase } from '../support/databases.js';
import { addManager, addTeam, publishRuleSet, rulesBySource, type E2eApp } from '../support/e2e-app.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';

/**
 * Issue 16 §4, a notification channel down: the real server (its workers in the process) sends
 * e-mail to a real SMTP server on 127.0.0.1 that is stopped for OUTAGE_MS while leads keep
 * arriving at a steady rate, then started again. Nothing may be lost or sent twice, and the
 * backlog must go out once the channel answers: before the latest retry the schedule had set
 * for it at that moment (with the schedule alone the last of it waits for that). Memory is left to the benchmark: a fresh process grows over its first
 * minute whatever it does. The same run as
 * `npm run bench -- channel-outage --minutes 10`, shortened (bench/support/channel-outage-run.ts).
 */
const OUTAGE_MS = 12_000;
const AFTER_MS = 4_000;
const servers: ServerProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SOURCES = ['website', 'yandex-direct', 'call', 'email', 'exhibition', 'telegram', 'partner', 'purchased-base'];

describe.concurrent('a notification channel down under intake', () => {
  it.each(DATABASE_KINDS)('%s: every e-mail goes out exactly once, the backlog as soon as the SMTP server is back', async (kind) => {
    let databaseUrl: string;
    if (kind === 'postgres') databaseUrl = await createPostgresDatabase();
    else {
      const dir = mkdtempSync(join(tmpdir(), 'leadrouter-outage-'));
      dirs.push(dir);
      databaseUrl = `sqlite:${join(dir, 'outage.sqlite')}`;
    }
    const adminKey = `lr_outage_${randomBytes(24).toString('base64url')}`;
    const lines: string[] = [];
    const startServer = async (smtpUrl: string): Promise<OutageServer> => {
      const server = await spawnServer({ DATABASE_URL: databaseUrl, LEADROUTER_ADMIN_API_KEY: adminKey, SMTP_URL: smtpUrl, DISPATCH_INTERVAL_MS: '200', SQLITE_SYNCHRONOUS: 'NORMAL' });
      servers.push(server);
      await waitUntilHealthy(server, 60_000);
      const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${server.url}${path}`, { method, headers: { 'x-api-key': adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
        return (text ? JSON.parse(text) : null) as T;
      };
      const app: E2eApp = { kind, url: server.url, server, api, stop: () => server.stop() };
      await addTeam(app, 'sales', 'Sales');
      await addManager(app, { id: 'mgr-a', teamId: 'sales', name: 'Анна', email: 'anna@outage.test' });
      await addManager(app, { id: 'mgr-b', teamId: 'sales', name: 'Борис', email: 'boris@outage.test' });
      await publishRuleSet(app, rulesBySource(Object.fromEntries(SOURCES.map((s, i) => [s, i % 2 === 0 ? 'mgr-a' : 'mgr-b']))));
      const pid = server.child.pid ?? 0;
      return {
        base: server.url,
        apiKey: adminKey,
        pid,
        rssMb: () => rssMbOf(pid),
        stop: async () => {
          await server.stop(20_000);
          return { graceful: server.child.signalCode !== 'SIGKILL' };
        },
      };
    };
    const result = await runChannelOutage({
      startServer,
      openStore: () => openStore(databaseTargetFrom(databaseUrl, '')),
      outageMs: OUTAGE_MS,
      rate: 3,
      minFailedInOutage: 10,
      beforeMs: 2_000,
      afterMs: AFTER_MS,
      sampleMs: 10_000,
      drainTimeoutMs: 40_000,
      rssBoundMb: Infinity,
      log: (line) => lines.push(`${new Date().toISOString().slice(11, 19)} ${line}`),
    });
    if (process.env.OUTAGE_TEST_LOG) console.log(lines.join("\n"));
    const summary = `${lines.join('\n')}\n${result.problems.join('\n')}`;
    expect(result.problems, summary).toEqual([]);
    expect(result.backlogPeak, summary).toBeGreaterThan(0);
    expect(result.drainMs, summary).not.toBeNull();
    expect(result.scheduleDrainMs, summary).not.toBeNull();
    expect(result.drainMs, summary).toBeLessThan(result.scheduleDrainMs as number);
    expect(result.missing + result.duplicates, summary).toBe(0);
  }, 110_000);
});
