import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, waitUntilHealthy } from '../support/server-process.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'leadrouter-cli-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function leadrouter(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO_ROOT, env, timeout: 60_000 });
}

describe('the leadrouter command on the embedded SQLite default', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loads demo data once, simulates the published rules over it, imports a CSV and serves the result', async () => {
    const demo = await leadrouter('demo', '--leads', '300');
    expect(demo.stdout).toMatch(/Loaded 300 demo leads/);
    await expect(leadrouter('demo')).rejects.toMatchObject({ code: 1 });

    const simulated = JSON.parse((await leadrouter('simulate', '--from', '2000-01-01', '--json')).stdout) as { leads: number; assigned: number; pool: number; perManager: Array<{ count: number }> };
    expect(simulated.leads).toBe(300);
    expect(simulated.assigned + simulated.pool).toBe(300);
    expect(simulated.perManager.reduce((sum, m) => sum + m.count, 0)).toBe(simulated.assigned);

    const csv = join(dataDir, 'leads.csv');
    writeFileSync(csv, 'name,phone,region,source,dealValue,crm_id\nПётр,8 916 123-45-67,Москва,website,250000,17\nБез телефона,,Приморский край,call,,18\nBad,,,website,lots,19\n');
    const dry = await leadrouter('import', csv, '--dry-run');
    expect(dry.stdout).toMatch(/2 valid rows, 1 rejected/);
    expect(dry.stderr).toMatch(/crm_id/);
    expect((await leadrouter('import', csv)).stdout).toMatch(/Imported 2 leads/);
    expect((await leadrouter('import', csv)).stdout).toMatch(/Imported 0 leads \(2 were imported from this file before/);

    const created = await leadrouter('api-key', 'create', '--name', 'website form', '--scopes', 'leads:read');
    const key = created.stdout.trim().split('\n').pop() as string;
    const server = await spawnServer(env);
    try {
      await waitUntilHealthy(server);
      const res = await fetch(`${server.url}/api/v1/leads?limit=500`, { headers: { 'x-api-key': key } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<{ lead: { name: string; phone: string | null } }> };
      expect(body.items).toHaveLength(302);
      expect(body.items.find((i) => i.lead.name === 'Пётр')?.lead.phone).toBe('+79161234567');
    } finally {
      await server.stop();
    }
  }, 120_000); // eight CLI processes, each starting TypeScript through tsx: slow on a loaded 2-core machine

  it('reads an .xlsx workbook for simulate and import, rejecting a bad row by its row number', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Leads');
    for (const row of [['name', 'phone', 'region', 'dealValue'], ['Пётр', 79161112233, 'Москва', 250_000], ['Анна', '+7 916 444-55-66', 'Казань', 90_000], ['Bad', null, null, 'lots']]) sheet.addRow(row);
    const xlsx = join(dataDir, 'leads.xlsx');
    writeFileSync(xlsx, Buffer.from(await book.xlsx.writeBuffer()));
    const simulated = await leadrouter('simulate', '--file', xlsx, '--json');
    expect(JSON.parse(simulated.stdout)).toMatchObject({ leads: 2, rejected: 1 });
    expect(simulated.stderr).toMatch(/row 4: dealValue/);
    const dry = await leadrouter('import', xlsx, '--dry-run');
    expect(dry.stdout).toMatch(/2 valid rows, 1 rejected/);

    // --at: the same file's leads arriving on a weekday morning and at night (Moscow time), for working hours.
    const csv = join(dataDir, 'moscow.csv');
    writeFileSync(csv, `name,phone,region\n${Array.from({ length: 6 }, (_, i) => `Клиент ${i},+7916555000${i},Москва`).join('\n')}\n`);
    type Report = { leads: number; fallback: { count: number }; byRule: Record<string, number> };
    const morning = JSON.parse((await leadrouter('simulate', '--file', csv, '--at', '2026-12-02T11:00:00+03:00', '--json')).stdout) as Report;
    const night = JSON.parse((await leadrouter('simulate', '--file', csv, '--at', '2026-12-06T03:00:00+03:00', '--json')).stdout) as Report;
    expect(morning.leads).toBe(6);
    expect(night.byRule).not.toEqual(morning.byRule);
    await expect(leadrouter('simulate', '--file', csv, '--at', 'tomorrow')).rejects.toMatchObject({ stderr: expect.stringMatching(/--at takes an instant/) });
  }, 90_000);

  it('serves from any working directory, with intake on its own thread', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'leadrouter-cwd-'));
    const apiKey = 'lr_test_from_elsewhere_0123456789abcdef';
    const server = await spawnServer({ ...env, DATA_DIR: join(elsewhere, 'data'), INTAKE_THREAD: 'true', LEADROUTER_ADMIN_API_KEY: apiKey }, [], { cwd: elsewhere });
    try {
      await waitUntilHealthy(server, 60_000);
      const res = await fetch(`${server.url}/api/v1/leads`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Из другой папки' }) });
      expect(res.status, server.output()).toBe(201);
      expect(((await res.json()) as { lead: { name: string } }).lead.name).toBe('Из другой папки');
    } finally {
      await server.stop();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], { cwd: REPO_ROOT, env: { ...env, PORT: 'eighty' } })).rejects.toMatchObject({
      stderr: expect.stringContaining('PORT'),
    });
  });
});
