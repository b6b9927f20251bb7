import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, waitUntil } from '../support/browser.js';
import { startE2eApp, type E2eApp } from '../support/e2e-app.js';

/**
 * The embed script on a site of its own, in a real browser: a landing page served from another
 * origin loads /f/<key>/embed.js, and its plain HTML form posts to leadrouter across origins with
 * the visit's UTM tags and page; a site the form does not allow gets no lead in.
 */
interface LeadItem {
  lead: { name: string | null; channel: string | null; source: string | null; campaign: string | null; utm: Record<string, string> | null; custom: Record<string, unknown> };
}

describe('a web form on a landing page, through the embed script', () => {
  let app: E2eApp;
  let browser: Browser;
  let site: Server;
  let sitePort = 0;
  let formKey = '';

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eApp('sqlite'), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;

    site = createServer((req, res) => {
      const body = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Лендинг</title></head><body>
<form data-leadrouter><input name="name" placeholder="Имя"><input name="phone" placeholder="Телефон"><button type="submit">Отправить</button></form>
<p id="status"></p>
<script>document.addEventListener('leadrouter:sent', function () { document.getElementById('status').textContent = 'sent'; });
document.addEventListener('leadrouter:failed', function () { document.getElementById('status').textContent = 'failed'; });</script>
<script src="${app.url}/f/${formKey}/embed.js" async></script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.url?.startsWith('/landing') ? body : 'not found');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    sitePort = (site.address() as AddressInfo).port;
    // The site is "localhost:<port>"; 127.0.0.1:<port> is another origin the form does not allow.
    const form = await app.api<{ publicKey: string }>('POST', '/api/v1/form-sources', { name: 'Лендинг', source: 'landing', allowedOrigins: [`http://localhost:${sitePort}`], minSeconds: 0 });
    formKey = form.publicKey;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await app?.stop();
  });

  const submit = async (page: Page, origin: string, name: string): Promise<string> => {
    await page.goto(`${origin}/landing?utm_source=yandex&utm_campaign=winter`);
    // The script has attached itself when it has added the hidden honeypot field.
    await page.locator('form input[name="_lr_hp"]').waitFor({ state: 'attached', timeout: 15_000 });
    await page.getByPlaceholder('Имя').fill(name);
    await page.getByPlaceholder('Телефон').fill('+7 916 555-44-33');
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.locator('#status:not(:empty)').waitFor({ timeout: 15_000 });
    return await page.locator('#status').innerText();
  };

  it('posts the form across origins with the UTM tags and the page, and the lead arrives', async () => {
    const page = await browser.newPage();
    try {
      expect(await submit(page, `http://localhost:${sitePort}`, 'Вера с лендинга')).toBe('sent');
    } finally {
      await page.close();
    }
    const lead = await waitUntil(async () => (await app.api<{ items: LeadItem[] }>('GET', '/api/v1/leads?limit=50')).items.find((i) => i.lead.name === 'Вера с лендинга'), 'the lead from the landing page');
    expect(lead.lead).toMatchObject({ channel: 'form', source: 'landing', campaign: 'winter', utm: { source: 'yandex', campaign: 'winter' } });
    expect(String(lead.lead.custom.landing_page)).toContain('/landing?utm_source=yandex');
  });

  it('refuses a site the form does not allow: the page hears it failed, and no lead is made', async () => {
    const page = await browser.newPage();
    try {
      expect(await submit(page, `http://127.0.0.1:${sitePort}`, 'Чужой сайт')).toBe('failed');
    } finally {
      await page.close();
    }
    const leads = (await app.api<{ items: LeadItem[] }>('GET', '/api/v1/leads?limit=50')).items;
    expect(leads.some((i) => i.lead.name === 'Чужой сайт')).toBe(false);
  });
});
