/**
 * The web app in the real browser (Debian's chromium through playwright-core) against the real
 * server on a fresh SQLite file:
 * - mainJsKbGzip: gzip size of every JavaScript file a manager's first load of /leads fetches;
 * - board500RenderMs: a board of 500 open leads, from the click on "Доска" (data already
 *   cached) until every column shows its count and the cards in view are painted (median);
 * - liveUpdateMs: from the API's 201 for a new lead until its card shows on the owner's open
 *   board, with no reload (median of --repeats; the outbox dispatcher runs every 1 s by default).
 * Prints the figures and, as its last line, one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { freePort, spawnChild, stopChild, waitForHttp } from './support/processes.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_KEY = 'lr_bench_web_admin_key_0000000000';
const PASSWORD = 'bench web password 1';
const BOARD_LEADS = 500;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export default async function webBenchmark(args: string[]): Promise<void> {
  const repeats = option(args, 'repeats', 5);
  const dispatchMs = option(args, 'dispatch-ms', 1000);
  const build = await runBuild();
  if (build !== 0) throw new Error('the web app did not build');
  const dir = mkdtempSync(join(tmpdir(), 'leadrouter-bench-web-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnChild('server', process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, LEADROUTER_ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'warn', DISPATCH_INTERVAL_MS: String(dispatchMs), SQLITE_SYNCHRONOUS: 'NORMAL' },
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    await waitForHttp(`${base}/health`, server, 60_000);
    const api = apiClient(base);
    const team = await api('POST', '/api/v1/teams', { name: 'Bench' });
    const manager = await api('POST', '/api/v1/managers', { name: 'Анна Бенч', teamId: team.id, timeZone: 'Europe/Moscow', workingHours: null, maxOpen: null, maxPerDay: null });
    await api('POST', '/api/v1/users', { email: 'bench@example.test', name: 'Анна Бенч', role: 'manager', managerId: manager.id, password: PASSWORD });
    const draft = await api('POST', '/api/v1/rule-sets', { definition: { ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' }, rules: [{ id: 'all', name: 'Все', when: { all: [] }, target: { kind: 'person', managerId: manager.id } }], fallback: { kind: 'manager', managerId: manager.id } } });
    await api('POST', `/api/v1/rule-sets/${draft.ruleSet.version}/publish`);
    for (let i = 0; i < BOARD_LEADS; i += 250) {
      await api('POST', '/api/v1/leads/batch', { leads: Array.from({ length: 250 }, (_, j) => ({ name: `Клиент ${i + j}`, phone: `+7916${String(1_000_000 + i + j).padStart(7, '0')}`, source: 'website', region: 'Москва', dealValue: 100_000 + j })) });
    }

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const scripts = new Map<string, number>();
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      void response.body().then((body) => scripts.set(response.url(), gzipSync(body, { level: 9 }).length)).catch(() => undefined);
    });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(/^Эл\. почта/).fill('bench@example.test');
    await page.getByLabel(/^Пароль/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${base}/leads`);
    await waitForCards(page, BOARD_LEADS);
    await page.waitForLoadState('networkidle');
    const mainJsKbGzip = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024;

    const renders: number[] = [];
    for (let i = 0; i < repeats; i++) {
      await page.getByText('Список', { exact: true }).click();
      await page.getByTestId('lead-table').waitFor();
      renders.push(await timeBoardRender(page));
    }

    const updates: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const name = `Живой лид ${i}`;
      const answered = await api('POST', '/api/v1/leads', { name, phone: `+7926${String(2_000_000 + i)}`, source: 'website', region: 'Москва' });
      const answeredAt = Date.now();
      await page.getByTestId('lead-card').filter({ hasText: name }).waitFor({ timeout: 15_000 });
      updates.push(Date.now() - answeredAt);
      if (!answered.lead) throw new Error('intake did not answer a lead');
    }

    const result = { mainJsKbGzip: round(mainJsKbGzip), board500RenderMs: round(median(renders)), liveUpdateMs: round(median(updates)), scripts: scripts.size, repeats, dispatchIntervalMs: dispatchMs };
    console.log(`main route JavaScript: ${result.mainJsKbGzip} kB gzip in ${scripts.size} files`);
    console.log(`board of ${BOARD_LEADS}: ${renders.map(round).join(', ')} ms (median ${result.board500RenderMs})`);
    console.log(`live update: ${updates.join(', ')} ms (median ${result.liveUpdateMs})`);
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await stopChild(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

async function runBuild(): Promise<number | null> {
  const child = spawnChild('build', process.execPath, ['scripts/ensure-web-build.mjs'], { cwd: REPO, env: process.env });
  return (await child.exited).code;
}

async function waitForCards(page: Page, count: number): Promise<void> {
  // Polled by page.evaluate, not waitForFunction: the app's Content-Security-Policy forbids the
  // eval that waitForFunction uses for a predicate written as text (a function would get tsx's helpers).
  const shown = await page.evaluate<boolean>(`new Promise((resolve) => {
    const deadline = performance.now() + 30000;
    const check = () => {
      const shown = [...document.querySelectorAll('[data-board-count]')].reduce((sum, el) => sum + Number(el.getAttribute('data-board-count')), 0);
      if (shown >= ${count}) resolve(true);
      else if (performance.now() > deadline) resolve(false);
      else requestAnimationFrame(check);
    };
    check();
  })`);
  if (!shown) throw new Error(`the board did not show ${count} leads within 30 s`);
}

/** Clicks "Доска" and measures in the page until the cards are in the DOM and a frame has painted. */
async function timeBoardRender(page: Page): Promise<number> {
  const board = page.getByText('Доска', { exact: true });
  await page.evaluate('window.__started = performance.now()');
  await board.click();
  // A string, not a function: tsx would add helpers to a function that do not exist in the page.
  // The board is on screen when every column shows its count and the cards in view are drawn
  // (columns draw only the cards in view: BoardColumn).
  return await page.evaluate<number>(`new Promise((resolve) => {
    const shown = () => [...document.querySelectorAll('[data-testid^="board-column-"] [data-board-count]')].reduce((sum, el) => sum + Number(el.getAttribute('data-board-count')), 0);
    const check = () => {
      if (shown() >= ${BOARD_LEADS} && document.querySelector('[data-testid="lead-card"]')) requestAnimationFrame(() => resolve(performance.now() - window.__started));
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

function apiClient(base: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many endpoints, read field by field
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'x-api-key': ADMIN_KEY, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}
