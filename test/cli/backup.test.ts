import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';

/**
 * A backup taken while leads pour in holds every lead acknowledged before it began, and a
 * restore of it serves them again: `leadrouter backup` against a running server under intake
 * load, `leadrouter restore` into another data directory, a server started on it.
 */
const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'leadrouter-backup-'));
const API_KEY = 'lr_backup_test_key_0123456789abcdef';

async function leadrouter(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
}

/** Posts leads from `writers` concurrent loops until stopped; remembers when each was acknowledged. */
function intakeLoad(server: ServerProcess, writers: number): { acknowledged: Array<{ id: string; at: number }>; failures: string[]; stop(): Promise<void> } {
  const acknowledged: Array<{ id: string; at: number }> = [];
  const failures: string[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: writers }, async () => {
    while (running) {
      const i = n++;
      try {
        const res = await fetch(`${server.url}/api/v1/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
          body: JSON.stringify({ name: `Backup ${i}`, phone: `+7916${String(1_000_000 + i).slice(-7)}`, source: 'website' }),
        });
        const body = (await res.json()) as { lead?: { id: string } };
        if (res.status === 201 && body.lead) acknowledged.push({ id: body.lead.id, at: Date.now() });
        else failures.push(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      } catch (error) {
        if (running) failures.push(String(error));
      }
    }
  });
  return {
    acknowledged,
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe('leadrouter backup and restore (SQLite)', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('backs up under intake load without losing an acknowledged lead, and the restore serves them', async () => {
    const live = join(scratch, 'live');
    const server = await spawnServer({ DATA_DIR: live, LEADROUTER_ADMIN_API_KEY: API_KEY });
    const backupFile = join(scratch, 'backup.sqlite');
    let load: ReturnType<typeof intakeLoad> | null = null;
    let backupStartedAt = 0;
    try {
      await waitUntilHealthy(server);
      load = intakeLoad(server, 4);
      const deadline = Date.now() + 60_000;
      while (load.acknowledged.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(load.acknowledged.length, load.failures.slice(0, 3).join('\n')).toBeGreaterThanOrEqual(200);

      backupStartedAt = Date.now();
      const backup = await leadrouter(live, 'backup', backupFile);
      expect(backup.stdout).toMatch(/Backed up \d+ leads .*integrity checked/);
      const afterBackup = load.acknowledged.length;
      while (load.acknowledged.length < afterBackup + 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await load.stop();
      expect(load.failures).toEqual([]);
      // A backup never overwrites a file.
      await expect(leadrouter(live, 'backup', backupFile)).rejects.toMatchObject({ stderr: expect.stringMatching(/exists already/) });
    } finally {
      await load?.stop();
      await server.stop();
    }

    const before = load.acknowledged.filter((a) => a.at < backupStartedAt).map((a) => a.id);
    const restoredDir = join(scratch, 'restored');
    const restore = await leadrouter(restoredDir, 'restore', backupFile);
    expect(restore.stdout).toMatch(/Restored \d+ leads/);
    const restoredFile = join(restoredDir, 'leadrouter.sqlite');
    const db = new BetterSqlite3(restoredFile, { readonly: true });
    try {
      const present = new Set((db.prepare('SELECT id FROM leads').all() as Array<{ id: string }>).map((r) => r.id));
      expect(before.filter((id) => !present.has(id))).toEqual([]);
      // Nothing in the copy that the server never acknowledged, nor more than it acknowledged.
      expect([...present].every((id) => load.acknowledged.some((a) => a.id === id))).toBe(true);
    } finally {
      db.close();
    }

    // The restored database serves: a server on it answers for a lead acknowledged before the backup.
    const again = await spawnServer({ DATA_DIR: restoredDir, LEADROUTER_ADMIN_API_KEY: API_KEY });
    try {
      await waitUntilHealthy(again);
      const res = await fetch(`${again.url}/api/v1/leads/${before[0] as string}`, { headers: { 'x-api-key': API_KEY } });
      expect(res.status).toBe(200);
    } finally {
      await again.stop();
    }

    // Restoring over a database keeps the old file beside it instead of deleting it.
    const second = await leadrouter(restoredDir, 'restore', backupFile);
    const kept = /kept as (\S+)\./.exec(second.stdout)?.[1];
    expect(kept).toBeDefined();
    expect(existsSync(kept as string)).toBe(true);
  }, 240_000);

  it('refuses a file that is not a leadrouter database', async () => {
    const dir = join(scratch, 'refuse');
    await expect(leadrouter(dir, 'restore', join(REPO_ROOT, 'package.json'))).rejects.toMatchObject({ stderr: expect.stringMatching(/not a SQLite database|not a leadrouter database/) });
    expect(existsSync(join(dir, 'leadrouter.sqlite'))).toBe(false);
  }, 60_000);
});
