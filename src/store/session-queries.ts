import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { userFromRow, type UserRecord } from './user-queries.js';

export async function insertSession(db: Kysely<Database>, session: { id: string; userId: string; csrfToken: string; expiresAt: string }, at: string): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, csrf_token: session.csrfToken, created_at: at, expires_at: session.expiresAt, last_seen_at: at })
    .execute();
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  expiresAt: string;
  lastSeenAt: string;
  user: UserRecord;
}

/** A session that has not expired, with its user. */
export async function findActiveSession(db: Kysely<Database>, id: string, now: string): Promise<ActiveSession | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.session_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at, user: userFromRow(row) };
}

export async function extendSession(db: Kysely<Database>, id: string, expiresAt: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt, last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function recordLoginFailure(db: Kysely<Database>, failure: { id: string; email: string; ip: string }, at: string): Promise<void> {
  await db.insertInto('login_failures').values({ id: failure.id, email: failure.email, ip: failure.ip, at }).execute();
}

export async function countLoginFailures(db: Kysely<Database>, by: { email: string; ip: string }, since: string): Promise<{ byEmail: number; byIp: number }> {
  const [email, ip] = await Promise.all([
    db.selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', by.email).where('at', '>', since).executeTakeFirstOrThrow(),
    db.selectFrom('login_failures').select((eb) => eb.fn.countAll<number>().as('n')).where('ip', '=', by.ip).where('at', '>', since).executeTakeFirstOrThrow(),
  ]);
  return { byEmail: Number(email.n), byIp: Number(ip.n) };
}

export async function clearLoginFailures(db: Kysely<Database>, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('email', '=', email).execute();
}

export async function deleteOldLoginFailures(db: Kysely<Database>, before: string): Promise<void> {
  await db.deleteFrom('login_failures').where('at', '<', before).execute();
}
