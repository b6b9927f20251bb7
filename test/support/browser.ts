import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { E2ePerson } from './e2e-app.js';

/**
 * Debian's chromium driven by playwright-core (browsers cannot be downloaded here). Each person
 * in a test gets a new browser context: its own cookies and storage, as a fresh profile has.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** How long one step of a test waits for the page before failing. */
export const STEP_TIMEOUT_MS = 15_000;

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** The people signed in during one test, each in a context of their own; closed together. */
export class Actors {
  private readonly contexts: BrowserContext[] = [];
  private readonly problems: string[] = [];

  constructor(
    private readonly browser: () => Browser,
    private readonly baseUrl: () => string,
  ) {}

  /** A fresh context (no cookies, no storage) with one page on the app. */
  async open(label: string): Promise<Page> {
    const context = await this.browser().newContext({ baseURL: this.baseUrl(), viewport: { width: 1366, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.problems.push(`[${label}] page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`[${label}] console: ${message.text()}`);
    });
    return page;
  }

  /** Signs the person in through the sign-in form, then goes to `path` (their home page when omitted). */
  async signIn(person: E2ePerson, path?: string): Promise<Page> {
    const page = await this.open(person.email);
    await signInOn(page, person);
    if (path) await page.goto(path);
    return page;
  }

  /**
   * Signs the person in with the session API from inside a fresh context (the cookie lands in
   * that context, as after the form) and opens `path`: quicker, for the second and third people
   * of a scenario once the form has been used.
   */
  async signInByApi(person: E2ePerson, path: string): Promise<Page> {
    const page = await this.open(person.email);
    const res = await page.context().request.post('/api/v1/session', { data: { email: person.email, password: person.password } });
    if (!res.ok()) throw new Error(`sign-in of ${person.email} answered ${res.status()}: ${await res.text()}`);
    await page.goto(path);
    await page.getByTestId('current-user').waitFor();
    return page;
  }

  /** Browser-side errors seen so far, for a failure message. */
  diagnostics(): string {
    return this.problems.join('\n');
  }

  /** Saves a screenshot of every open page (for a failed test) and returns where. */
  async screenshots(name: string): Promise<string[]> {
    const dir = join(tmpdir(), 'leadrouter-e2e-screenshots');
    mkdirSync(dir, { recursive: true });
    const saved: string[] = [];
    for (const [i, context] of this.contexts.entries()) {
      for (const [j, page] of context.pages().entries()) {
        const file = join(dir, `${name.replace(/[^\w-]+/g, '_')}-${i}-${j}.png`);
        try {
          await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
          saved.push(`${file} (${page.url()})`);
        } catch {
          // a page that cannot be captured does not hide the test's own failure
        }
      }
    }
    return saved;
  }

  async closeAll(): Promise<void> {
    const contexts = this.contexts.splice(0);
    this.problems.length = 0;
    await Promise.all(contexts.map(async (c) => await c.close().catch(() => undefined)));
  }
}

/** Fills the sign-in form («Эл. почта», «Пароль», «Войти») and waits until the app lets the person in. */
export async function signInOn(page: Page, person: E2ePerson): Promise<void> {
  await page.goto('/sign-in');
  // Required fields read «Пароль *»: the labels are matched from their start.
  await page.getByLabel(/^Эл\. почта/).fill(person.email);
  await page.getByLabel(/^Пароль/).fill(person.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.getByTestId('current-user').waitFor();
}

/**
 * Navigates to `path` and resolves once the live notification stream of that page load is open
 * (the server has subscribed the person before it answers), so what happens next reaches the page.
 */
export async function gotoWithLiveStream(page: Page, path: string): Promise<void> {
  const streamOpen = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/notifications/stream' && res.status() === 200);
  await page.goto(path);
  await streamOpen;
}

/** Picks an option of a Mantine Select (a combobox) by its label and the option's text, and checks it took. */
export async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  const page = 'page' in scope ? scope.page() : scope;
  const input = scope.getByRole('combobox', { name: label });
  await input.click();
  await page.getByRole('listbox').getByRole('option', { name: option, exact: true }).click();
  await waitUntil(async () => (await input.inputValue()) === option, `«${label}» did not take «${option}»`);
}

/**
 * Closes the live-update toasts on the page (they sit over the page for seconds and keep the
 * language they were shown in), and waits until they are gone.
 */
export async function dismissToasts(page: Page): Promise<void> {
  const toasts = page.locator('.mantine-Notification-root');
  await waitUntil(async () => {
    const count = await toasts.count();
    if (count === 0) return true;
    await toasts.first().getByRole('button').click({ timeout: 2_000 }).catch(() => undefined);
    return false;
  }, 'the toasts did not close');
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `message`. */
export async function waitUntil<T>(check: () => Promise<T | undefined | false>, message: string, timeoutMs = STEP_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${message} (not within ${timeoutMs} ms${last ? `; last error: ${String(last)}` : ''})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What a person reads on the page: the rendered text of every visible element plus the
 * placeholder, aria-label and title of visible elements, inside the app's root (toasts and
 * popovers render in portals outside it and keep the language they were shown in).
 */
export async function visibleStrings(page: Page, rootSelector = '#root'): Promise<string[]> {
  return await page.evaluate((selector) => {
    // Runs in the page; typed structurally since the tests compile without the DOM library.
    interface DomElement {
      innerText: string;
      getAttribute(name: string): string | null;
      getBoundingClientRect(): { width: number; height: number };
      querySelectorAll(selector: string): ArrayLike<DomElement>;
    }
    const w = globalThis as unknown as {
      document: { querySelector(selector: string): DomElement | null };
      getComputedStyle(el: DomElement): { visibility: string; display: string; opacity: string };
    };
    const root = w.document.querySelector(selector);
    if (!root) throw new Error(`no ${selector} on the page`);
    const shown = (el: DomElement): boolean => {
      const box = el.getBoundingClientRect();
      const style = w.getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
    };
    const out: string[] = [];
    for (const line of root.innerText.split('\n')) if (line.trim()) out.push(line.trim());
    for (const el of Array.from(root.querySelectorAll('[placeholder], [aria-label], [title]'))) {
      if (!shown(el)) continue;
      for (const attr of ['placeholder', 'aria-label', 'title']) {
        const value = el.getAttribute(attr);
        if (value?.trim()) out.push(`${attr}=${value.trim()}`);
      }
    }
    return out;
  }, rootSelector);
}
