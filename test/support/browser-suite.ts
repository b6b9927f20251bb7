import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Actors, launchBrowser } from './browser.js';
import { startE2eApp, type E2eApp } from './e2e-app.js';

/**
 * What every browser test file needs, registered as hooks of the calling `describe`: a real
 * server and chromium started together (and both stopped even when one fails to start), the
 * file's own set-up over the API, screenshots, browser diagnostics and the server's log printed
 * for a failing test, and every page, the browser and the server closed at the end.
 */
export interface BrowserSuite {
  readonly app: E2eApp;
  readonly browser: Browser;
  readonly actors: Actors;
}

export function browserSuite(name: string, options: { kind?: 'sqlite' | 'postgres'; env?: Record<string, string>; setUp?: (app: E2eApp) => Promise<void> } = {}): BrowserSuite {
  let app: E2eApp | undefined;
  let browser: Browser | undefined;
  const actors = new Actors(() => browser as Browser, () => (app as E2eApp).url);

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp(options.kind ?? 'sqlite', options.env ?? {}), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
    await options.setUp?.(app as E2eApp);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      const shots = await actors.screenshots(`${name}-${context.task.name}`);
      console.error(`screenshots: ${shots.join(', ')}\nbrowser: ${actors.diagnostics()}\nserver: ${app?.server.output().slice(-4000)}`);
    }
    await actors.closeAll();
  });

  afterAll(async () => {
    await actors.closeAll();
    await browser?.close();
    await app?.stop();
  }, 30_000);

  return {
    get app() {
      return app as E2eApp;
    },
    get browser() {
      return browser as Browser;
    },
    actors,
  };
}
