import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Yandex SmartCaptcha's /validate, speaking its documented contract: a
 * POST of form-encoded `secret`, `token`, `ip`; `{"status":"ok","message":"","host":…}` for a
 * token it issued (once: a second check of the same token fails), `{"status":"failed",…}`
 * otherwise, and a 403 for a wrong server key.
 */
export interface SmartCaptchaFake {
  url: string;
  /** A token the next check accepts once, as the widget would hand one to a person. */
  issue(token: string): void;
  checks: Array<{ secret: string; token: string; ip: string }>;
  close(): Promise<void>;
}

export async function startSmartCaptchaFake(secret: string): Promise<SmartCaptchaFake> {
  const issued = new Set<string>();
  const checks: SmartCaptchaFake['checks'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/validate' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'failed', message: 'bad request' }));
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const check = { secret: form.get('secret') ?? '', token: form.get('token') ?? '', ip: form.get('ip') ?? '' };
      checks.push(check);
      if (check.secret !== secret) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'failed', message: 'Authentication failed. Secret has not provided.' }));
        return;
      }
      const ok = issued.delete(check.token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { status: 'ok', message: '', host: 'shop.example' } : { status: 'failed', message: 'Invalid or expired Token.', host: '' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/validate`,
    issue: (token) => issued.add(token),
    checks,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
