import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/app-context.js';
import { APP_VERSION } from '../../src/app/version.js';
import { buildApp, type LeadRouterApp } from '../../src/http/build-app.js';
import { openStore, type DatabaseKind, type Store } from '../../src/store/database.js';
import { LATEST_SCHEMA_VERSION, migrateTo, migrateToLatest } from '../../src/store/migrate.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';

async function emptyStore(kind: DatabaseKind): Promise<Store> {
  return kind === 'postgres' ? openStore({ kind: 'postgres', url: await createPostgresDatabase(), poolSize: 2 }) : openStore({ kind: 'sqlite', file: ':memory:' });
}

describe.each(DATABASE_KINDS)('liveness and readiness on %s', (kind) => {
  let store: Store | undefined;
  let built: LeadRouterApp | undefined;
  afterEach(async () => {
    await built?.app.close();
    await built?.intake.close();
    await store?.close().catch(() => undefined);
    store = undefined;
    built = undefined;
  });

  async function start(migrate: 'latest' | string): Promise<LeadRouterApp> {
    store = await emptyStore(kind);
    const { error } = migrate === 'latest' ? await migrateToLatest(store) : await migrateTo(store, migrate);
    if (error) throw error;
    built = await buildApp({ ctx: createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 10 }) });
    return built;
  }

  it('answers ready with the schema version when the database is current, live without touching it', async () => {
    const { app } = await start('latest');
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: kind, schemaVersion: LATEST_SCHEMA_VERSION, version: APP_VERSION });
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'live', version: APP_VERSION });
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', schemaVersion: LATEST_SCHEMA_VERSION });
  });

  it('is not ready while a migration is missing, and says which version it is at', async () => {
    const { app } = await start('0007-source-health');
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.json()).toEqual({ status: 'not_ready', reason: 'migrations_pending', message: `The database schema is at version 7 of ${LATEST_SCHEMA_VERSION}; run leadrouter migrate` });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('is not ready once the database is gone, while live still answers', async () => {
    const { app } = await start('latest');
    await store?.close();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.json()).toMatchObject({ status: 'not_ready', reason: 'database_unreachable' });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('is not ready from the moment the server starts draining', async () => {
    const { app, state } = await start('latest');
    state.startDraining();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', reason: 'draining' });
    expect(ready.headers['retry-after']).toBe('5');
  });
});
