import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from '../../src/app/people/sessions.js';
import { openRuntime } from '../../src/cli/bootstrap.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'leadrouter-create-admin-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

describe('leadrouter create-admin', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds an admin to an empty database and prints a password that signs in', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'create-admin', '--email', 'Owner@Example.test', '--name', 'Owner'], { cwd: REPO_ROOT, env, timeout: 60_000 });
    expect(stdout).toMatch(/Created admin owner@example\.test/);
    const password = /Password \(shown once\): (\S+)/.exec(stdout)?.[1];
    expect(password).toBeDefined();
    const runtime = await openRuntime(env);
    try {
      const session = await signIn(runtime.ctx, { email: 'owner@example.test', password: password as string }, '127.0.0.1');
      expect(session.user.role).toBe('admin');
    } finally {
      await runtime.close();
    }
  }, 90_000);
});
