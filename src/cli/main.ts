import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { API_KEY_SCOPES } from '../app/api-keys.js';
import { ROLES } from '../app/access/roles.js';
import { DEMO_LEADS } from '../app/demo/demo-size.js';
import { APP_VERSION } from '../app/version.js';
import type * as Bootstrap from './bootstrap.js';
import type { SimulateOptions } from './simulate-command.js';

// Each command loads what it needs when it runs (the server alone is most of the code), so
// `--help`, `migrate` or `api-key list` start in a fraction of the time `serve` takes.
const runtimeModule = async (): Promise<typeof Bootstrap> => await import('./bootstrap.js');

const program = new Command().name('leadrouter').description('Self-hosted lead routing for sales teams').version(APP_VERSION);

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0-65535');
  return n;
};

program
  .command('serve')
  .description('Start the HTTP API (OpenAPI at /docs); migrates the database first')
  .option('--demo', `fill an empty database with demo teams, managers, rules and ~${DEMO_LEADS.toLocaleString('en')} leads worked over two weeks`, false)
  .option('--demo-public', 'let the demo (its published API key and password) listen off loopback, for a shared demo; never with NODE_ENV=production', false)
  .option('-p, --port <port>', 'listen on this port instead of PORT', port)
  .action(async (o: { demo: boolean; demoPublic: boolean; port?: number }) => {
    const { serve } = await import('./serve.js');
    await serve({ demo: o.demo, demoPublic: o.demoPublic, port: o.port });
  });

program
  .command('worker')
  .description('Run the SLA sweeper and the outbox dispatcher without the HTTP API (several may run at once)')
  .action(async () => {
    const { work } = await import('./serve.js');
    await work();
  });

program
  .command('migrate')
  .description('Bring the database schema to the latest version')
  .action(async () => {
    const [{ openRuntime }, { LATEST_SCHEMA_VERSION, schemaVersion }] = await Promise.all([runtimeModule(), import('../store/migrate.js')]);
    const runtime = await openRuntime();
    const version = await schemaVersion(runtime.ctx.store);
    console.log(`${runtime.ctx.store.kind}: schema version ${version} of ${LATEST_SCHEMA_VERSION}`);
    await runtime.close();
  });

program
  .command('rebuild-rollups')
  .description('Recompute the report rollups from the raw records (reports read raw rows meanwhile; safe while servers run)')
  .action(async () => {
    const [{ openRuntime }, { rebuildRollups }] = await Promise.all([runtimeModule(), import('../app/reports/rollups/refresh-rollups.js')]);
    const runtime = await openRuntime();
    try {
      const started = Date.now();
      const leads = await rebuildRollups(runtime.ctx, (done) => process.stderr.write(`\r${done} leads`));
      process.stderr.write('\n');
      console.log(`Rebuilt the report rollups of ${leads} leads in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await runtime.close();
    }
  });

program
  .command('purge-traces')
  .description('Compact the traces of routing decisions older than an age (DECISION_TRACE_MAX_AGE_DAYS or --older-than-days): each keeps its summary and the reports\' facts; safe while servers run')
  .option('--older-than-days <n>', 'the age in days (default: DECISION_TRACE_MAX_AGE_DAYS)')
  .action(async (o: { olderThanDays?: string }) => {
    const [{ openRuntime }, { purgeDecisionTraces }] = await Promise.all([runtimeModule(), import('../app/routing/purge-traces.js')]);
    const runtime = await openRuntime();
    try {
      const days = o.olderThanDays !== undefined ? Number(o.olderThanDays) : runtime.config.decisionTraceMaxAgeDays;
      if (days === undefined || !Number.isInteger(days) || days < 1) {
        console.error('Say how old a trace must be: --older-than-days <n> (a whole number ≥ 1) or DECISION_TRACE_MAX_AGE_DAYS.');
        process.exitCode = 2;
        return;
      }
      const started = Date.now();
      const done = await purgeDecisionTraces(runtime.ctx, { olderThanDays: days, onProgress: (n) => process.stderr.write(`\r${n} decisions`) });
      if (done.compacted > 0) process.stderr.write('\n');
      const saved = ((done.bytesBefore - done.bytesAfter) / 1024 / 1024).toFixed(1);
      console.log(`Compacted the traces of ${done.compacted} decisions made before ${done.before} in ${((Date.now() - started) / 1000).toFixed(1)} s (${saved} MB of JSON less; SQLite reuses the space, VACUUM returns it to the disk).`);
    } finally {
      await runtime.close();
    }
  });

program
  .command('demo')
  .description('Load demo data into an empty database')
  .option('--leads <n>', 'how many demo leads', String(DEMO_LEADS))
  .action(async (o: { leads: string }) => {
    const [{ openRuntime }, { hasDemoData, seedDemoData }] = await Promise.all([runtimeModule(), import('../app/demo/seed-demo.js')]);
    const runtime = await openRuntime();
    try {
      if (await hasDemoData(runtime.ctx)) {
        console.error('The database already has managers; demo data goes only into an empty one.');
        process.exitCode = 1;
        return;
      }
      const seeded = await seedDemoData(runtime.ctx, { leads: Number(o.leads) });
      console.log(`Loaded ${seeded.leads} demo leads. Demo API key: ${seeded.apiKey}`);
    } finally {
      await runtime.close();
    }
  });

const keys = program.command('api-key').description('Manage API keys for integrations');
keys
  .command('create')
  .requiredOption('--name <name>', 'who uses the key, e.g. "website form"')
  .option('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(', ')}`, 'leads:write')
  .action(async (o: { name: string; scopes: string }) => {
    const scopes = o.scopes.split(',').map((s) => s.trim());
    const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new InvalidArgumentError(`unknown scopes: ${unknown.join(', ')}`);
    const [{ openRuntime }, { issueApiKey }, { SYSTEM }] = await Promise.all([runtimeModule(), import('../app/access/api-key-admin.js'), import('../app/access/principal.js')]);
    const runtime = await openRuntime();
    try {
      // Audited like a key made in the console, with the CLI as the actor.
      const { key, plaintext } = await issueApiKey(runtime.ctx, SYSTEM('cli'), { name: o.name, scopes });
      console.log(`Created key ${key.id} (${key.scopes.join(', ')}). Store it now; it is not shown again:\n${plaintext}`);
    } finally {
      await runtime.close();
    }
  });
keys.command('list').action(async () => {
  const [{ openRuntime }, { listApiKeys }] = await Promise.all([runtimeModule(), import('../app/api-keys.js')]);
  const runtime = await openRuntime();
  try {
    for (const k of await listApiKeys(runtime.ctx.store.db)) console.log(`${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(',')}]${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`);
  } finally {
    await runtime.close();
  }
});
keys.command('revoke <id>').action(async (id: string) => {
  const [{ openRuntime }, { revokeApiKeyAs }, { SYSTEM }, { isLeadRouterError }] = await Promise.all([
    runtimeModule(),
    import('../app/access/api-key-admin.js'),
    import('../app/access/principal.js'),
    import('../app/errors.js'),
  ]);
  const runtime = await openRuntime();
  try {
    const done = await revokeApiKeyAs(runtime.ctx, SYSTEM('cli'), id).catch((error: unknown) => {
      if (isLeadRouterError(error) && error.code === 'LR_ERR_NOT_FOUND') return null;
      throw error;
    });
    console.log(done?.revokedNow ? `Revoked ${id}` : `No active key ${id}`);
    if (!done?.revokedNow) process.exitCode = 1;
  } finally {
    await runtime.close();
  }
});

async function addPerson(o: { email: string; name: string; role: string; team?: string; manager?: string }): Promise<void> {
  const [{ openRuntime }, { userInputSchema }, { createUser }, { SYSTEM }] = await Promise.all([
    runtimeModule(),
    import('../app/people/user-input.js'),
    import('../app/people/users.js'),
    import('../app/access/principal.js'),
  ]);
  const password = process.env.LEADROUTER_PASSWORD ?? randomBytes(12).toString('base64url');
  const input = userInputSchema.safeParse({ email: o.email, name: o.name, role: o.role, password, teamId: o.team ?? null, managerId: o.manager ?? null });
  if (!input.success) throw new InvalidArgumentError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const runtime = await openRuntime();
  try {
    const user = await createUser(runtime.ctx, SYSTEM('cli'), input.data);
    console.log(`Created ${user.role} ${user.email} (${user.id})`);
    if (!process.env.LEADROUTER_PASSWORD) console.log(`Password (shown once): ${password}`);
  } finally {
    await runtime.close();
  }
}

program
  .command('create-admin')
  .description('Add an admin (the first one of a deployment); the password is read from LEADROUTER_PASSWORD, or generated and printed once')
  .requiredOption('--email <email>', 'the sign-in e-mail')
  .requiredOption('--name <name>', 'the name shown to others')
  .action(async (o: { email: string; name: string }) => await addPerson({ ...o, role: 'admin' }));

const people = program.command('user').description('Manage people who sign in (the first admin, password resets)');
people
  .command('create')
  .requiredOption('--email <email>', 'the sign-in e-mail')
  .requiredOption('--name <name>', 'the name shown to others')
  .option('--role <role>', `one of ${ROLES.join(', ')}`, 'admin')
  .option('--team <teamId>', 'the team a head runs')
  .option('--manager <managerId>', 'the routing profile of a manager')
  .description('Add a person; the password is read from LEADROUTER_PASSWORD, or generated and printed once')
  .action(addPerson);

program
  .command('backup <file>')
  .description('Write a consistent copy of the SQLite database to FILE while the server runs (PostgreSQL: use pg_dump, see docs/operations.md)')
  .action(async (file: string) => {
    const [{ loadConfig }, { databaseTargetFrom }, { backupSqlite }] = await Promise.all([import('../app/config.js'), import('../store/database.js'), import('../store/sqlite-backup.js')]);
    const config = loadConfig();
    const target = databaseTargetFrom(config.databaseUrl, config.sqliteFile);
    if (target.kind === 'postgres') {
      console.error('The database is PostgreSQL: back it up with pg_dump --format=custom --file=FILE "$DATABASE_URL" (docs/operations.md, Upgrades and backups).');
      process.exitCode = 2;
      return;
    }
    const started = Date.now();
    const done = backupSqlite(target.file, file);
    console.log(`Backed up ${done.leads} leads to ${done.file} (${(done.bytes / 1024 / 1024).toFixed(1)} MB) in ${Date.now() - started} ms; integrity checked.`);
  });

program
  .command('restore <file>')
  .description('Replace the SQLite database with a backup made by `backup` (stop every server first; the old file is kept beside it)')
  .action(async (file: string) => {
    const [{ loadConfig }, { databaseTargetFrom }, { restoreSqlite }] = await Promise.all([import('../app/config.js'), import('../store/database.js'), import('../store/sqlite-backup.js')]);
    const config = loadConfig();
    const target = databaseTargetFrom(config.databaseUrl, config.sqliteFile);
    if (target.kind === 'postgres') {
      console.error('The database is PostgreSQL: restore a pg_dump file with pg_restore --dbname="$DATABASE_URL" FILE (docs/operations.md, Upgrades and backups).');
      process.exitCode = 2;
      return;
    }
    const done = restoreSqlite(file, target.file, new Date().toISOString().replace(/[:.]/g, '-'));
    console.log(`Restored ${done.leads} leads into ${target.file}${done.keptOld ? `; the previous database is kept as ${done.keptOld}` : ''}. Start the server to bring its schema up to date.`);
  });

program
  .command('simulate')
  .description('Route stored leads of a period, or a CSV/JSON/XLSX file, through a rule set; writes nothing')
  .option('--file <path>', 'leads to simulate (.csv or .xlsx whose first row names intake fields, or .json)')
  .option('--from <date>', 'stored leads created from this date (default: 30 days ago)')
  .option('--to <date>', 'stored leads created before this date (default: now)')
  .option('--version <n>', 'a stored rule set version (default: the published one)')
  .option('--draft <path>', 'an unsaved rule set definition in a JSON file')
  .option('--at <instant>', 'with --file: when the leads are taken to arrive, e.g. 2026-12-07T10:00:00+03:00 (working hours are checked then; default now)')
  .option('--json', 'print the report as JSON', false)
  .action(async (o: SimulateOptions) => {
    const { simulateCommand } = await import('./simulate-command.js');
    await simulateCommand(o);
  });

program
  .command('import <file>')
  .description('Import leads from a CSV, JSON or .xlsx file through the normal intake (matched, routed, stored), streamed with a progress bar; running it again adds nothing twice')
  .option('--dry-run', 'validate and report without storing anything', false)
  .option('--sla', "start the owners' SLA clocks on the imported leads (off: a base is worked at its own pace)", false)
  .option('--errors <file>', 'write every rejected row (row, field, message) to this CSV file')
  .action(async (file: string, o: { dryRun: boolean; sla: boolean; errors?: string }) => {
    const { importCommand } = await import('./import-command.js');
    await importCommand(file, o, runtimeModule);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A configuration error (ConfigError) says all there is to say in its message, like any other.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
