import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const MAX_STATEMENTS = 500;

/**
 * Kysely prepares every query anew; SQLite parsing and planning is a large share of a small
 * query's cost, so prepared statements are kept by their SQL text (least recently used out).
 *
 * Transactions begin IMMEDIATE: the intake thread writes through a connection of its own, and a
 * deferred transaction that read before another connection committed could not write any more
 * (SQLITE_BUSY at once, which the busy timeout does not cover). Taking the write lock at the
 * start makes a transaction wait its turn instead.
 */
export function withStatementCache(db: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare: (text: string): SqliteStatement => {
      const sql = text === 'begin' ? 'begin immediate' : text;
      const cached = statements.get(sql);
      if (cached) {
        // Re-inserting moves it to the end: the Map's order is the recency order.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql) as unknown as SqliteStatement;
      statements.set(sql, statement);
      if (statements.size > MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}
