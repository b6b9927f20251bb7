import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from './schema.js';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: string;
  teamId: string | null;
  managerId: string | null;
  active: boolean;
  /** null: not chosen. */
  locale: string | null;
  telegramChatId: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export function userFromRow(r: Selectable<UsersTable>): UserRecord {
  return {
    id: r.id, email: r.email, name: r.name, role: r.role, teamId: r.team_id, managerId: r.manager_id, active: r.active === 1,
    locale: r.locale, telegramChatId: r.telegram_chat_id, createdAt: r.created_at, updatedAt: r.updated_at, lastLoginAt: r.last_login_at,
  };
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: string;
  teamId: string | null;
  managerId: string | null;
  locale: string | null;
}

export async function insertUser(db: Kysely<Database>, user: NewUser, at: string): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id, email: user.email, name: user.name, password_hash: user.passwordHash, role: user.role, team_id: user.teamId, manager_id: user.managerId,
      active: 1, locale: user.locale, telegram_chat_id: null, notification_prefs: null, created_at: at, updated_at: at, last_login_at: null,
    })
    .execute();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

export async function findUserCredentials(db: Kysely<Database>, email: string): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : undefined;
}

export async function listUsers(db: Kysely<Database>): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(userFromRow);
}

export interface UserChanges {
  name?: string;
  role?: string;
  teamId?: string | null;
  managerId?: string | null;
  active?: boolean;
  locale?: string | null;
  passwordHash?: string;
}

export async function updateUser(db: Kysely<Database>, id: string, changes: UserChanges, at: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.teamId !== undefined ? { team_id: changes.teamId } : {}),
      ...(changes.managerId !== undefined ? { manager_id: changes.managerId } : {}),
      ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
      ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The active admins, locked until the transaction ends on PostgreSQL (in id order, so two
 * changes lock them alike and never deadlock): a change that may leave no admin counts them
 * here, and a concurrent one waits and sees the outcome. SQLite runs one write transaction at a time.
 */
export async function lockActiveAdminIds(db: Kysely<Database>, kind: 'sqlite' | 'postgres'): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).orderBy('id').$if(kind === 'postgres', (q) => q.forUpdate()).execute();
  return rows.map((r) => r.id);
}

export async function recordLogin(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

/** Display names of people by user id, for lists that name who did something. */
export async function userNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
