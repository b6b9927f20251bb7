/**
 * The database a benchmark's server runs on: a fresh SQLite file in a temporary DATA_DIR, the
 * PostgreSQL of DATABASE_URL, or a fresh database in a throwaway durable embedded PostgreSQL
 * (fsync on, as in production), so anyone can get the PostgreSQL figure without a server.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { databaseTargetFrom, openStore, type DatabaseKind, type Store } from '../../src/store/database.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../test/support/embedded-postgres.js';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** What the server child's environment needs (DATA_DIR or DATABASE_URL). */
  env: Record<string, string>;
  description: string;
  /** Whether the database was created empty for this run. */
  fresh: boolean;
  /** Opens a connection from the benchmark process (for counting what the server stored). */
  open(): Store;
  dispose(): Promise<void>;
}

const withTimeout = async <T>(what: string, ms: number, promise: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};

export async function prepareBenchDatabase(options: { embeddedPostgres: boolean; databaseUrl: string | undefined; keep: boolean; dataDir?: string }): Promise<BenchDatabase> {
  if (options.embeddedPostgres) {
    const started = Date.now();
    let cluster: RunningPostgres | undefined;
    try {
      cluster = await withTimeout('starting the embedded PostgreSQL', 180_000, startEmbeddedPostgres({ durable: true }));
      const name = `lr_bench_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client(cluster.url);
      await withTimeout('creating the benchmark database', 30_000, client.connect());
      try {
        await withTimeout('creating the benchmark database', 30_000, client.query(`CREATE DATABASE ${name}`));
      } finally {
        await client.end();
      }
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      const databaseUrl = url.toString();
      const running = cluster;
      return {
        kind: 'postgres',
        env: { DATABASE_URL: databaseUrl },
        description: `embedded PostgreSQL (durable: fsync on), fresh database ${name}, started in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        fresh: true,
        open: () => openStore({ kind: 'postgres', url: databaseUrl, poolSize: 2 }),
        dispose: async () => {
          await withTimeout('stopping the embedded PostgreSQL', 60_000, running.stop()).catch((error: unknown) => console.error(`bench: ${String(error)}`));
        },
      };
    } catch (error) {
      await cluster?.stop().catch(() => {});
      throw error;
    }
  }
  if (options.databaseUrl) {
    const target = databaseTargetFrom(options.databaseUrl, '');
    const redacted = options.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    return {
      kind: target.kind,
      env: { DATABASE_URL: options.databaseUrl },
      description: `DATABASE_URL ${redacted}`,
      fresh: false,
      open: () => openStore(target),
      dispose: async () => {},
    };
  }
  // A directory named by the caller is kept (and may already hold a database); a temporary one is not.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'leadrouter-bench-'));
  if (options.dataDir) mkdirSync(dataDir, { recursive: true });
  // The server child inherits SQLITE_SYNCHRONOUS from the bench's environment (FULL by default).
  const synchronous = process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
  return {
    kind: 'sqlite',
    env: { DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: synchronous },
    description: `SQLite (WAL, synchronous=${synchronous}), ${options.dataDir ? 'kept' : 'fresh'} file in ${dataDir}`,
    fresh: !options.dataDir,
    open: () => openStore({ kind: 'sqlite', file: join(dataDir, 'leadrouter.sqlite') }),
    dispose: async () => {
      if (!options.keep && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StoredFigures {
  leads: number;
  since: { leads: number; pooled: number; duplicates: number; withContact: number; withCompany: number; byVia: Record<string, number>; events: number; outbox: number };
}

/** What the server stored: all leads, and those created at or after `sinceIso` with how they were decided. */
export async function storedFigures(db: BenchDatabase, sinceIso: string): Promise<StoredFigures> {
  const store = db.open();
  try {
    const run = async (): Promise<StoredFigures> => {
      const total = await sql<{ n: number }>`select count(*) as n from leads`.execute(store.db);
      const since = await sql<{ n: number; pooled: number; duplicates: number; with_contact: number; with_company: number }>`
        select count(*) as n,
               sum(case when owner_id is null then 1 else 0 end) as pooled,
               sum(case when duplicate_of is not null then 1 else 0 end) as duplicates,
               sum(case when contact_id is not null then 1 else 0 end) as with_contact,
               sum(case when company_id is not null then 1 else 0 end) as with_company
        from leads where created_at >= ${sinceIso}`.execute(store.db);
      const via = await sql<{ via: string; n: number }>`select via, count(*) as n from assignments where created_at >= ${sinceIso} group by via order by n desc`.execute(store.db);
      const events = await sql<{ n: number }>`select count(*) as n from events where created_at >= ${sinceIso}`.execute(store.db);
      const outbox = await sql<{ n: number }>`select count(*) as n from outbox where created_at >= ${sinceIso}`.execute(store.db);
      const s = since.rows[0];
      return {
        leads: Number(total.rows[0]?.n ?? 0),
        since: {
          leads: Number(s?.n ?? 0),
          pooled: Number(s?.pooled ?? 0),
          duplicates: Number(s?.duplicates ?? 0),
          withContact: Number(s?.with_contact ?? 0),
          withCompany: Number(s?.with_company ?? 0),
          byVia: Object.fromEntries(via.rows.map((r) => [r.via, Number(r.n)])),
          events: Number(events.rows[0]?.n ?? 0),
          outbox: Number(outbox.rows[0]?.n ?? 0),
        },
      };
    };
    return await withTimeout('counting stored leads', 60_000, run());
  } finally {
    await store.close();
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A copy of a PostgreSQL database (CREATE DATABASE … TEMPLATE), for the write floor to write
 * into without growing the tables the real server is measured on. The source must have no
 * other sessions; a DATABASE_URL whose user cannot create databases gets an error to report.
 */
export async function copyPostgresDatabase(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const source = new URL(databaseUrl);
  const sourceName = decodeURIComponent(source.pathname.slice(1));
  const name = `lr_floor_${randomBytes(5).toString('hex')}`;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const run = async (text: string): Promise<void> => {
    const client = new pg.Client(admin.toString());
    await withTimeout('connecting to PostgreSQL', 30_000, client.connect());
    try {
      await withTimeout(text, 120_000, client.query(text));
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name} TEMPLATE "${sourceName.replaceAll('"', '""')}"`);
  const copy = new URL(databaseUrl);
  copy.pathname = `/${name}`;
  return { url: copy.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
