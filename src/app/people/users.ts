import { findManagerRow, teamExists } from '../../store/manager-queries.js';
import { isUniqueViolation } from '../../store/constraint-errors.js';
import { deleteUserSessions } from '../../store/session-queries.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { findUserById, insertUser, listUsers, lockActiveAdminIds, updateUser, type UserRecord } from '../../store/user-queries.js';
import type { Principal, UserPrincipal } from '../access/principal.js';
import type { Role } from '../access/roles.js';
import type { AppContext } from '../app-context.js';
import { recordAudit } from '../audit/audit-trail.js';
import { LeadRouterError } from '../errors.js';
import { hashPassword } from './passwords.js';
import { LOCALES, type Locale, type LocaleInput, type UserInput, type UserPatch } from './user-input.js';

export type UserView = Omit<UserRecord, 'telegramChatId' | 'locale'> & { role: Role; locale: Locale | null };

export function toUserView(u: UserRecord): UserView {
  const { telegramChatId: _hidden, ...view } = u;
  return { ...view, role: u.role as Role, locale: isLocale(u.locale) ? u.locale : null };
}

function isLocale(value: string | null): value is Locale {
  return (LOCALES as readonly (string | null)[]).includes(value);
}

/** What the audit log keeps of a user: never the password hash. */
function auditable(u: UserRecord): Record<string, unknown> {
  return { email: u.email, name: u.name, role: u.role, teamId: u.teamId, managerId: u.managerId, active: u.active, locale: u.locale };
}

async function checkLinks(ctx: AppContext, input: { role?: Role | undefined; teamId?: string | null | undefined; managerId?: string | null | undefined }): Promise<void> {
  if (input.teamId && !(await teamExists(ctx.store.db, input.teamId))) throw new LeadRouterError('LR_ERR_VALIDATION', `No team with id ${input.teamId}`, [{ path: 'teamId', code: 'not_found', message: `No team with id ${input.teamId}` }]);
  if (input.managerId && !(await findManagerRow(ctx.store.db, input.managerId))) {
    throw new LeadRouterError('LR_ERR_VALIDATION', `No manager with id ${input.managerId}`, [{ path: 'managerId', code: 'not_found', message: `No manager with id ${input.managerId}` }]);
  }
}

/** `passwordHash`: the password already hashed (the demo's people share one published password, hashed once). */
export async function createUser(ctx: AppContext, principal: Principal, input: UserInput, prepared: { passwordHash?: string } = {}): Promise<UserView> {
  await checkLinks(ctx, input);
  if (input.role === 'head' && !input.teamId) throw new LeadRouterError('LR_ERR_VALIDATION', 'A head needs the team they run', [{ path: 'teamId', code: 'required', message: 'A head needs teamId' }]);
  const id = ctx.newId();
  const at = ctx.now().toISOString();
  const passwordHash = prepared.passwordHash ?? (await hashPassword(input.password));
  // The team of a manager follows from the routing profile unless given.
  let teamId = input.teamId ?? null;
  if (!teamId && input.managerId) teamId = (await findManagerRow(ctx.store.db, input.managerId))?.team_id ?? null;
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await insertUser(trx, { id, email: input.email, name: input.name, passwordHash, role: input.role, teamId, managerId: input.managerId ?? null, locale: input.locale ?? null }, at);
      const created = await findUserById(trx, id);
      await recordAudit(ctx, trx, principal, [{ action: 'user.created', entity: 'user', entityId: id, after: created ? auditable(created) : null }]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', 'A user with this e-mail, or linked to this manager, already exists');
    throw error;
  }
  return toUserView(await getUserRecord(ctx, id));
}

/**
 * An admin does not change their own role (they would lock themselves out of this very page),
 * and no change demotes or deactivates the last active admin. The active admins are locked and
 * counted in the change's transaction, so two admins demoting each other at once leave one.
 */
async function assertKeepsAnAdmin(trx: Kysely<Database>, kind: 'sqlite' | 'postgres', principal: Principal, id: string, patch: UserPatch): Promise<UserRecord> {
  const current = await findUserById(trx, id);
  if (!current) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No user with id ${id}`);
  const roleChanges = patch.role !== undefined && patch.role !== current.role;
  if (roleChanges && principal.kind === 'user' && principal.userId === id) {
    throw new LeadRouterError('LR_ERR_CONFLICT', 'You cannot change your own role; ask another admin', [{ path: 'role', code: 'own_role', message: 'you cannot change your own role; ask another admin' }]);
  }
  const demotes = current.role === 'admin' && current.active && ((roleChanges && patch.role !== 'admin') || patch.active === false);
  if (!demotes) return current;
  const admins = await lockActiveAdminIds(trx, kind);
  // Locked after a concurrent change committed: this person may no longer be an active admin.
  if (!admins.includes(id) || admins.length > 1) return current;
  const path = patch.active === false ? 'active' : 'role';
  throw new LeadRouterError('LR_ERR_CONFLICT', `${current.name} is the last active admin; make someone else an admin first`, [
    { path, code: 'last_admin', message: 'the last active admin cannot be demoted or deactivated; make someone else an admin first' },
  ]);
}

export async function changeUser(ctx: AppContext, principal: Principal, id: string, patch: UserPatch): Promise<UserView> {
  await getUserRecord(ctx, id);
  await checkLinks(ctx, patch);
  const at = ctx.now().toISOString();
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      const before = await assertKeepsAnAdmin(trx, ctx.store.kind, principal, id, patch);
      await updateUser(trx, id, { ...omitPassword(patch), ...(passwordHash ? { passwordHash } : {}) }, at);
      // A new password, a lost role or a deactivation signs the person out everywhere.
      if (passwordHash || patch.active === false || (patch.role && patch.role !== before.role)) await deleteUserSessions(trx, id);
      const after = await findUserById(trx, id);
      await recordAudit(ctx, trx, principal, [
        { action: passwordHash ? 'user.changed_with_password' : 'user.changed', entity: 'user', entityId: id, before: auditable(before), after: after ? auditable(after) : null },
      ]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new LeadRouterError('LR_ERR_CONFLICT', 'Another user is already linked to this manager');
    throw error;
  }
  return toUserView(await getUserRecord(ctx, id));
}

function omitPassword(patch: UserPatch): Omit<UserPatch, 'password'> {
  const { password: _secret, ...rest } = patch;
  return rest;
}

export async function users(ctx: AppContext): Promise<UserView[]> {
  return (await listUsers(ctx.store.db)).map(toUserView);
}

export async function getUser(ctx: AppContext, id: string): Promise<UserView> {
  return toUserView(await getUserRecord(ctx, id));
}

async function getUserRecord(ctx: AppContext, id: string): Promise<UserRecord> {
  const user = await findUserById(ctx.store.db, id);
  if (!user) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No user with id ${id}`);
  return user;
}

/** The signed-in person's interface language, kept for every device they sign in on; audited like any change of a person. */
export async function changeOwnLocale(ctx: AppContext, user: UserPrincipal, input: LocaleInput): Promise<UserView> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await findUserById(trx, user.userId);
    if (!before) throw new LeadRouterError('LR_ERR_NOT_FOUND', `No user with id ${user.userId}`);
    if (before.locale === input.locale) return;
    await updateUser(trx, user.userId, { locale: input.locale }, ctx.now().toISOString());
    await recordAudit(ctx, trx, user, [{ action: 'user.locale_changed', entity: 'user', entityId: user.userId, before: { locale: before.locale }, after: { locale: input.locale } }]);
  });
  return await getUser(ctx, user.userId);
}
