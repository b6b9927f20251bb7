import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; synchronous?: 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; url: string; poolSize?: number };

/** `postgres://…` selects PostgreSQL; anything else is an SQLite file path (or `:memory:`). */
export function databaseTargetFrom(url: string | undefined, sqliteFile: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): DatabaseTarget {
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  if (url && url.startsWith('sqlite:')) return { kind: 'sqlite', file: url.slice('sqlite:'.length), synchronous };
  return { kind: 'sqlite', file: sqliteFile, synchronous };
}

const PG_TYPE = { int8: 20, timestamptz: 1184, timestamp: 1114, json: 114, jsonb: 3802, float8: 701, numeric: 1700 } as const;

/**
 * The driver seam: PostgreSQL values are parsed into the same shapes SQLite returns
 * (ISO text timestamps, JSON as text, counts as numbers), so queries above have one code path.
 */
function postgresTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case PG_TYPE.int8:
    case PG_TYPE.numeric:
      return (value) => Number(value);
    case PG_TYPE.timestamptz:
      return (value) => new Date(value).toISOString();
    case PG_TYPE.timestamp:
      return (value) => new Date(`${value}Z`).toISOString();
    case PG_TYPE.json:
    case PG_TYPE.jsonb:
      return (value) => value;
    default:
      return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  }
}

export function openStore(target: DatabaseTarget): Store {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      types: { getTypeParser: postgresTypeParser } as pg.CustomTypesConfig,
    });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
  const sqlite = new BetterSqlite3(target.file);
  sqlite.pragma('journal_mode = WAL');
  // By default an accepted lead survives a power cut: every commit is synced (FULL), one sync
  // per group-commit transaction. NORMAL survives a crash of the process but not of the machine.
  sqlite.pragma(`synchronous = ${target.synchronous ?? 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}
