import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, PostgresDriver, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type QueryCompiler, type SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /**
   * Resolves once everything committed so far is as durable as the target asks: at once, unless
   * commits are synced after the fact (`syncAfterCommit`).
   */
  durable(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: the connection pool's use, for the metrics; SQLite has one connection and none. */
  connections?(): { total: number; idle: number; waiting: number };
}

export type DatabaseTarget =
  | {
      kind: 'sqlite';
      file: string;
      synchronous?: 'FULL' | 'NORMAL';
      /**
       * With FULL: commit without waiting for the disk, and sync the log in `durable()` instead,
       * off the thread, so the next transaction runs meanwhile. Whoever answers "stored" waits
       * for `durable()` first (the intake thread does); the guarantee stays FULL's for answers.
       * Other connections can read such a commit before it is synced: a power cut in that gap
       * loses a lead nobody was answered for, but that a reader may already have acted on.
       */
      syncAfterCommit?: boolean;
    }
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
    // Nor a connection dropped while checked out between two queries (a transaction awaiting the
    // next statement when the server shuts down): pg listens for idle clients only, and an
    // 'error' event nobody hears ends the process. The next query on it fails with the error
    // (answered 503), and the pool discards the broken client when it is released.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const db = new Kysely<Database>({ dialect: new ConnectionLossPostgresDialect({ pool }) });
    return { db, kind: 'postgres', durable: async () => {}, close: () => db.destroy(), connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }) };
  }
  if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
  const sqlite = new BetterSqlite3(target.file);
  sqlite.pragma('journal_mode = WAL');
  // By default an accepted lead survives a power cut: every commit is synced (FULL), one sync
  // per group-commit transaction. NORMAL survives a crash of the process but not of the machine.
  const synchronous = target.synchronous ?? 'FULL';
  const syncLater = synchronous === 'FULL' && target.syncAfterCommit === true && target.file !== ':memory:';
  // In WAL mode NORMAL writes a commit to the log without syncing it; `durable()` syncs it.
  sqlite.pragma(`synchronous = ${syncLater ? 'NORMAL' : synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SettledRollbackSqliteDialect({ database: withStatementCache(sqlite) }, sqlite) });
  const log = syncLater ? new WriteAheadLogSync(`${target.file}-wal`) : null;
  return {
    db,
    kind: 'sqlite',
    durable: log ? () => log.sync() : async () => {},
    close: async () => {
      await log?.close();
      await db.destroy();
    },
  };
}

/**
 * A transaction whose connection was lost (the server stopped, the network dropped) is rolled
 * back by the server; Kysely's ROLLBACK on the dead connection then fails ("Client has
 * encountered a connection error and is not queryable") and takes the place of the error that
 * said the database went away (answered 503), turning it into a 500. Such a failed rollback is
 * dropped here; the pool discards the broken client when Kysely releases it.
 */
class ConnectionLossPostgresDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ConnectionLossPostgresDriver(this.settings);
  }
}

class ConnectionLossPostgresDriver extends PostgresDriver {
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      if (!connectionLost(error)) throw error;
    }
  }
}

/** pg's own errors (no server answer: no severity) and the server's "connection ended" classes (08, 57P01–57P03). */
function connectionLost(error: unknown): boolean {
  const { severity, code } = error as { severity?: unknown; code?: unknown };
  return severity === undefined || (typeof code === 'string' && /^(08|57P0[123])/.test(code));
}

/**
 * After some errors SQLite has already rolled the whole transaction back by itself: SQLITE_FULL
 * (a full disk), SQLITE_IOERR, SQLITE_NOMEM. Kysely then sends ROLLBACK, which fails with "cannot
 * rollback - no transaction is active" and takes the place of the error that mattered (a full
 * disk answered 500 instead of LR_ERR_STORAGE_FULL). A rollback with no transaction left to undo
 * is skipped here, so the original error reaches the caller.
 */
class SettledRollbackSqliteDialect extends SqliteDialect {
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly sqlite: BetterSqlite3.Database,
  ) {
    super(settings);
  }

  override createDriver(): Driver {
    return new SettledRollbackSqliteDriver(this.settings, this.sqlite);
  }
}

class SettledRollbackSqliteDriver extends SqliteDriver {
  constructor(
    settings: SqliteDialectConfig,
    private readonly sqlite: BetterSqlite3.Database,
  ) {
    super(settings);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }

  override async rollbackToSavepoint(connection: DatabaseConnection, savepointName: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackToSavepoint(connection, savepointName, compileQuery);
  }
}

/**
 * Syncs SQLite's write-ahead log from the thread pool. A sync started after a commit returned
 * covers that commit (and every earlier one): the log is one file, appended to and reused in
 * place, never replaced while a connection is open. Syncs asked for while one runs share the
 * next one. A failed sync fails every later one too: after a failed fsync the kernel may have
 * dropped the unwritten pages and a later fsync can succeed without them, so nothing committed
 * on this connection may be called durable any more (the process must be restarted).
 */
class WriteAheadLogSync {
  private file: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private failed: unknown = null;

  constructor(private readonly path: string) {}

  sync(): Promise<void> {
    if (this.failed !== null) return Promise.reject(this.failed);
    if (!this.running) {
      this.running = this.syncNow().finally(() => (this.running = null));
      return this.running;
    }
    // A commit that returned while a sync was running may not be covered by it: sync once more after.
    this.next ??= this.running.then(
      () => this.takeNext(),
      () => this.takeNext(),
    );
    return this.next;
  }

  private takeNext(): Promise<void> {
    this.next = null;
    return this.sync();
  }

  private async syncNow(): Promise<void> {
    this.file ??= open(this.path, 'r').catch((error: unknown) => {
      this.file = null;
      throw error;
    });
    const file = await this.file;
    try {
      await file.datasync();
    } catch (error) {
      this.failed = error;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.running?.catch(() => {});
    await this.next?.catch(() => {});
    await (await this.file)?.close();
  }
}
