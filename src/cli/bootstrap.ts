import { createAppContext, type AppContext } from '../app/app-context.js';
import { loadConfig, type AppConfig } from '../app/config.js';
import { databaseTargetFrom, openStore, type DatabaseTarget } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';

export interface Runtime {
  config: AppConfig;
  /** The database the process works on; other threads open their own connection to it. */
  target: DatabaseTarget;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Reads the configuration, opens the database and brings its schema up to date. */
export async function openRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const config = loadConfig(env);
  const target = databaseTargetFrom(config.databaseUrl, config.sqliteFile, config.sqliteSynchronous);
  const store = openStore(target);
  const { error } = await migrateToLatest(store);
  if (error) {
    await store.close();
    throw new Error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ctx = createAppContext(store, config);
  return { config, target, ctx, close: () => store.close() };
}
