import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Online backup and restore of the SQLite database file. The copy is taken with `VACUUM INTO`:
 * one read transaction, so the copy is the database as of one instant (every lead committed
 * before the backup began is in it), while the server keeps accepting leads meanwhile (WAL
 * readers do not block writers). For PostgreSQL the tool is pg_dump (docs/operations.md).
 */
export interface BackupSummary {
  file: string;
  bytes: number;
  leads: number;
}

/** Writes a consistent copy of `databaseFile` to `destination`, which must not exist yet. */
export function backupSqlite(databaseFile: string, destination: string): BackupSummary {
  if (!existsSync(databaseFile)) throw new Error(`No database at ${databaseFile}`);
  if (existsSync(destination)) throw new Error(`${destination} exists already; a backup never overwrites a file`);
  const source = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    source.prepare('VACUUM INTO ?').run(destination);
  } finally {
    source.close();
  }
  const summary = checkBackup(destination);
  return { file: destination, bytes: statSync(destination).size, leads: summary.leads };
}

/** Refuses a file that is not a sound leadrouter database; answers how many leads it holds. */
export function checkBackup(file: string): { leads: number; schemaMigrations: number } {
  if (!existsSync(file)) throw new Error(`No backup at ${file}`);
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    if (!tables.has('leads') || !tables.has('schema_migrations')) throw new Error(`${file} is not a leadrouter database`);
    const leads = (db.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;
    const schemaMigrations = (db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
    return { leads, schemaMigrations };
  } catch (error) {
    if (error instanceof Error && /file is not a database/i.test(error.message)) throw new Error(`${file} is not a SQLite database`);
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Puts a checked backup in place of the database file (servers stopped: a running process
 * would keep writing to the file it opened). The old file, if any, is kept beside it as
 * `<file>.before-restore-<stamp>` rather than deleted.
 */
export function restoreSqlite(backup: string, databaseFile: string, stamp: string): { leads: number; keptOld: string | null } {
  const { leads } = checkBackup(backup);
  mkdirSync(dirname(databaseFile), { recursive: true });
  const staging = `${databaseFile}.restoring`;
  rmSync(staging, { force: true });
  // A copy through SQLite itself, so the staged file is complete and synced before it replaces anything.
  const from = new BetterSqlite3(backup, { readonly: true, fileMustExist: true });
  try {
    from.prepare('VACUUM INTO ?').run(staging);
  } finally {
    from.close();
  }
  let keptOld: string | null = null;
  if (existsSync(databaseFile)) {
    keptOld = `${databaseFile}.before-restore-${stamp}`;
    renameSync(databaseFile, keptOld);
  }
  // The old file's write-ahead log belongs to the old file; left beside the new one it would be replayed into it.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(databaseFile + suffix)) renameSync(databaseFile + suffix, `${keptOld ?? databaseFile}${suffix}`);
  }
  renameSync(staging, databaseFile);
  return { leads, keptOld };
}
