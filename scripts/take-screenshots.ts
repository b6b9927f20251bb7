/**
 * The README's screenshots, taken from the running demo in Russian: `npm run screenshots`.
 * Starts `serve --demo` on a fresh SQLite file, signs in as the demo people in Debian's
 * chromium and writes docs/images/*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, spawnChild, stopChild, waitForHttp } from '../bench/support/processes.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(REPO, 'docs', 'images');
const DEMO_KEY = 'lr_demo_0000000000000000000000000000';
const PASSWORD = 'leadrouter-demo';

interface Shot {
  file: string;
  email: string;
  path: string | ((api: Api) => Promise<string>);
  width?: number;
  height?: number;
  /** What to do on the page before the picture (open a drawer, scroll). */
  then?: (page: Page) => Promise<void>;
}

type Api = (path: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- demo answers read field by field

const SHOTS: Shot[] = [
  { file: 'board.png', email: 'anna@demo.leadrouter.local', path: '/leads' },
  { file: 'lead-card.png', email: 'anna@demo.leadrouter.local', path: async (api) => `/leads/${await leadWithExclusions(api)}`, height: 1000 },
  { file: 'pool.png', email: 'anna@demo.leadrouter.local', path: '/pool' },
  { file: 'team-board.png', email: 'head@demo.leadrouter.local', path: '/team', height: 900 },
  { file: 'qualification.png', email: 'qualifier@demo.leadrouter.local', path: '/qualification' },
  {
    file: 'people-hours.png',
    email: 'head@demo.leadrouter.local',
    path: '/settings/people',
    height: 1000,
    then: async (page) => {
      await page.locator('[data-testid="manager-row"]', { hasText: 'Елена' }).getByRole('button', { name: 'Изменить' }).click();
      await page.getByTestId('week-hours').scrollIntoViewIfNeeded();
    },
  },
  { file: 'absences.png', email: 'head@demo.leadrouter.local', path: '/settings/people?tab=absences', height: 560 },
  { file: 'simulation.png', email: 'head@demo.leadrouter.local', path: '/simulation', height: 900 },
  {
    file: 'rule-editor.png',
    email: 'admin@demo.leadrouter.local',
    path: '/settings/rules',
    height: 1100,
    then: async (page) => {
      await page.getByRole('button', { name: 'Изменить как черновик' }).click();
      await page.getByRole('button', { name: 'Крупные сделки', exact: true }).click();
      await page.getByTestId('rule-card').nth(2).getByText('ID правила').waitFor();
    },
  },
  {
    file: 'rule-simulation.png',
    email: 'admin@demo.leadrouter.local',
    path: '/settings/rules',
    height: 1000,
    then: async (page) => {
      // A draft that stops routing Moscow by region: who would get those leads instead?
      await page.getByRole('button', { name: 'Изменить как черновик' }).click();
      await page.getByTestId('rule-card').nth(4).getByRole('switch').uncheck({ force: true }); // №5 «Москва и область»
      await page.getByRole('tab', { name: 'Проверка на лидах' }).click();
      await page.getByRole('button', { name: 'Сравнить' }).click();
      await page.getByTestId('comparison-result').waitFor({ timeout: 60_000 });
      await page.getByRole('heading', { name: 'Проверка черновика на лидах' }).scrollIntoViewIfNeeded();
      await page.evaluate(() => (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, 120));
    },
  },
  { file: 'reports-distribution.png', email: 'head@demo.leadrouter.local', path: '/reports?tab=distribution&preset=last30', height: 1000 },
  { file: 'reports-speed.png', email: 'head@demo.leadrouter.local', path: '/reports?tab=speed&preset=last30', height: 1000 },
  { file: 'motivation.png', email: 'head@demo.leadrouter.local', path: '/motivation', height: 900 },
  { file: 'bonuses.png', email: 'head@demo.leadrouter.local', path: '/bonuses', height: 700 },
  { file: 'sla-settings.png', email: 'admin@demo.leadrouter.local', path: '/settings/sla', height: 900 },
  { file: 'audit-log.png', email: 'admin@demo.leadrouter.local', path: '/settings/audit', height: 800 },
  { file: 'lead-card-phone.png', email: 'anna@demo.leadrouter.local', path: async (api) => `/leads/${await leadWithExclusions(api)}`, width: 390, height: 844 },
];

/** One of Anna's open leads whose decision left colleagues out: the card that explains the most. */
async function leadWithExclusions(api: Api): Promise<string> {
  const anna = (await api('/api/v1/managers')).items.find((m: { email: string | null; name: string }) => m.name.startsWith('Анна'));
  const page = await api(`/api/v1/leads?ownerId=${anna.id}&status=new,in_progress&limit=100`);
  const rich = page.items.find((i: { decision: { trace: { steps?: Array<{ excluded?: unknown[] }> } } | null }) => i.decision?.trace.steps?.some((s) => (s.excluded?.length ?? 0) > 1));
  return (rich ?? page.items[0]).lead.id;
}

async function signIn(browser: Browser, base: string, email: string, width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'ru-RU', timezoneId: 'Europe/Moscow', deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/^Эл\. почта/).fill(email);
  await page.getByLabel(/^Пароль/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

const dir = mkdtempSync(join(tmpdir(), 'leadrouter-screenshots-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const build = spawnChild('build', process.execPath, ['scripts/ensure-web-build.mjs'], { cwd: REPO, env: process.env });
if ((await build.exited).code !== 0) throw new Error(`the web app did not build:\n${build.tail()}`);
const server = spawnChild('server', process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--demo'], {
  cwd: REPO,
  env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn' },
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  await waitForHttp(`${base}/health`, server, 120_000);
  const api: Api = async (path) => await (await fetch(`${base}${path}`, { headers: { 'x-api-key': DEMO_KEY } })).json();
  for (const shot of SHOTS) {
    const page = await signIn(browser, base, shot.email, shot.width ?? 1366, shot.height ?? 768);
    await page.goto(`${base}${typeof shot.path === 'string' ? shot.path : await shot.path(api)}`);
    await page.waitForLoadState('networkidle');
    if (shot.then) await shot.then(page);
    // Let charts finish drawing; the demo's first minutes send a burst of notifications, whose toast is closed.
    await page.waitForTimeout(800);
    for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click().catch(() => undefined);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, shot.file) });
    console.log(`docs/images/${shot.file}`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await stopChild(server);
  rmSync(dir, { recursive: true, force: true });
}
