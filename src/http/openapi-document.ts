import { createAppContext } from '../app/app-context.js';
import { openStore } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { buildApp } from './build-app.js';

/**
 * The server's OpenAPI document, exactly as `/docs/json` serves it, built on a throw-away
 * in-memory database. The web app's typed client is generated from it.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const store = openStore({ kind: 'sqlite', file: ':memory:' });
  try {
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 });
    const { app, intake } = await buildApp({ ctx });
    try {
      return app.swagger() as unknown as Record<string, unknown>;
    } finally {
      await app.close();
      await intake.close();
    }
  } finally {
    await store.close();
  }
}
