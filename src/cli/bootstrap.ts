import { createAppContext, type AppContext } from '../app/app-context.js';
import { loadConfig, type AppConfig } from '../app/config.js';
import { databaseTargetFrom, openStore } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';

export interface Runtime {
  config: AppConfig;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Reads the configuration, opens the database and brings its schema up to date. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const store = openStore(databaseTargetFrom(config.databaseUrl, config.sqliteFile, config.sqliteSynchronous));
  const { error } = await migrateToLatest(store);
  if (error) {
    await store.close();
    throw new Error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ctx = createAppContext(store, config);
  return { config, ctx, close: () => store.close() };
}
