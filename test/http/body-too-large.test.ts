import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshDatabaseUrl } from '../support/databases.js';
import { spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process.js';

const LIMIT = 1024 * 1024;
const BODY = Buffer.alloc(10 * 1024 * 1024, 'a');
const KEY = 'lr_body_limit_test_key_0000000000';
const TOO_LARGE = '413 LR_ERR_BODY_TOO_LARGE';
const dir = mkdtempSync(join(tmpdir(), 'leadrouter-413-'));
const bodyFile = join(dir, 'big.json');
writeFileSync(bodyFile, BODY);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sends the whole body in one write, as clients do, and reads the answer; a reset comes back as `ERR code`. */
async function post(port: number, framing: 'content-length' | 'chunked'): Promise<string> {
  return await new Promise<string>((resolve) => {
    const headers = { 'content-type': 'application/json', 'x-api-key': KEY, ...(framing === 'content-length' ? { 'content-length': String(BODY.length) } : { 'transfer-encoding': 'chunked' }) };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/leads', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve(`${res.statusCode} ${(JSON.parse(text) as { error: { code: string } }).error.code}`));
      res.on('error', (e: NodeJS.ErrnoException) => resolve(`ERR ${e.code ?? e.message}`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`ERR ${e.code ?? e.message}`));
    req.end(BODY);
  });
}

// The server runs in a process of its own: a client in the server's own process never sees the reset.
describe.each(DATABASE_KINDS)('a body over the limit on %s', (kind) => {
  let server: ServerProcess | undefined;
  let port = 0;
  beforeAll(async () => {
    server = await spawnServer({ DATABASE_URL: await freshDatabaseUrl(kind), BODY_LIMIT_BYTES: String(LIMIT), LEADROUTER_ADMIN_API_KEY: KEY, RUN_WORKERS: 'false', ACCESS_LOG: 'false' });
    await waitUntilHealthy(server);
    port = Number(new URL(server.url).port);
  }, 60_000);
  afterAll(async () => await server?.stop());

  it('always gets its 413, never a reset connection, with Node’s http client (declared length and chunked)', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await post(port, i % 2 === 0 ? 'content-length' : 'chunked'));
    expect(answers).toEqual(new Array(6).fill(TOO_LARGE));
  });

  it('always gets its 413 with fetch, which writes the whole body before it reads the answer', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push(
        await fetch(`http://127.0.0.1:${port}/api/v1/leads`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: BODY })
          .then(async (res) => `${res.status} ${((await res.json()) as { error: { code: string } }).error.code}`)
          .catch((error: Error & { cause?: { code?: string } }) => `ERR ${error.cause?.code ?? error.message}`),
      );
    }
    expect(answers).toEqual(new Array(6).fill(TOO_LARGE));
  });

  it('always gets its 413 with curl, which asks Expect: 100-continue first', async () => {
    const curl = promisify(execFile);
    for (let i = 0; i < 3; i++) {
      const { stdout } = await curl('curl', ['-sS', '-o', '-', '-w', ' %{http_code}', '-H', 'content-type: application/json', '-H', `x-api-key: ${KEY}`, '--data-binary', `@${bodyFile}`, `http://127.0.0.1:${port}/api/v1/leads`]).catch(
        (error: { stderr?: string; message: string }) => ({ stdout: `curl failed: ${error.stderr ?? error.message}` }),
      );
      expect(stdout).toMatch(/"LR_ERR_BODY_TOO_LARGE".* 413$/);
    }
  });
});
