#!/usr/bin/env -S node --max-semi-space-size=32
// The installed command: runs the compiled CLI (dist/) in this very process, so SIGTERM from a
// process manager, `docker stop` or a terminal reaches the server itself, and a command starts
// without a TypeScript loader. dist/ is compiled first when missing or older than src/.
// The shebang's larger young generation: routing and intake allocate many short-lived objects
// per lead, and with V8's default the scavenger runs often enough to cost a fifth of the
// throughput (V8 takes this flag only at start; `node bin/leadrouter.js` runs without it).
import { setInterval } from 'node:timers';
import { ensureServerBuild } from '../scripts/ensure-server-build.mjs';

if (!ensureServerBuild()) process.exit(1);

// Under npm (`npx leadrouter`, `npm exec`) a shell sits between npm and this process and does not
// pass SIGTERM on: stopping npm would leave the server running as an orphan. So follow the
// launcher: once the parent is gone, stop exactly as on SIGTERM (a graceful shutdown).
if (process.env.npm_command) {
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) process.kill(process.pid, 'SIGTERM');
  }, 250).unref();
}

await import('../dist/cli/main.js');
