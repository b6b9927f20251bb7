import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  clearLoginFailures, countLoginFailures, deleteOldLoginFailures, deleteSession, extendSession, findActiveSession, insertSession, recordLoginFailure, type ActiveSession,
} from '../../store/session-queries.js';
import { findUserCredentials, recordLogin, updateUser } from '../../store/user-queries.js';
import type { UserPrincipal } from '../access/principal.js';
import type { Role } from '../access/roles.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { LoginInput } from './user-input.js';
import { toUserView, type UserView } from './users.js';

const SESSION_TTL_MS = 12 * 3600_000;
// A session in use is extended, but at most every few minutes, to spare a write per request.
const EXTEND_AFTER_MS = 5 * 60_000;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 30;

export interface SignedIn {
  /** Goes into the httpOnly cookie; only its hash is stored. */
  token: string;
  /** Sent back in the X-CSRF-Token header on every change made with the cookie. */
  csrfToken: string;
  user: UserView;
  expiresAt: string;
}

function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(ctx: AppContext, input: LoginInput, ip: string): Promise<SignedIn> {
  const now = ctx.now();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const failures = await countLoginFailures(ctx.store.db, { email: input.email, ip }, since);
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) {
    throw Object.assign(new LeadRouterError('LR_ERR_RATE_LIMITED', `Too many failed sign-ins; try again in ${FAILURE_WINDOW_MS / 60_000} minutes`), { retryAfterSeconds: FAILURE_WINDOW_MS / 1000 });
  }
  const found = await findUserCredentials(ctx.store.db, input.email);
  const valid = found ? await verifyPassword(input.password, found.passwordHash) : (await burnPasswordCheck(input.password), false);
  if (!found || !valid || !found.user.active) {
    await recordLoginFailure(ctx.store.db, { id: ctx.newId(), email: input.email, ip }, now.toISOString());
    await deleteOldLoginFailures(ctx.store.db, new Date(now.getTime() - 24 * 3600_000).toISOString());
    throw new LeadRouterError('LR_ERR_UNAUTHORIZED', 'The e-mail or the password is wrong, or the account is disabled');
  }
  // The password is known right now, and only now: a hash from a cheaper time is replaced.
  if (needsRehash(found.passwordHash)) await updateUser(ctx.store.db, found.user.id, { passwordHash: await hashPassword(input.password) }, now.toISOString());
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertSession(ctx.store.db, { id: sessionIdOf(token), userId: found.user.id, csrfToken, expiresAt }, now.toISOString());
  await recordLogin(ctx.store.db, found.user.id, now.toISOString());
  await clearLoginFailures(ctx.store.db, input.email);
  return { token, csrfToken, user: toUserView(found.user), expiresAt };
}

export interface ResolvedSession {
  principal: UserPrincipal;
  csrfToken: string;
  user: UserView;
}

export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | undefined> {
  const now = ctx.now();
  const session: ActiveSession | undefined = await findActiveSession(ctx.store.db, sessionIdOf(token), now.toISOString());
  if (!session || !session.user.active) return undefined;
  if (now.getTime() - Date.parse(session.lastSeenAt) > EXTEND_AFTER_MS) {
    await extendSession(ctx.store.db, session.id, new Date(now.getTime() + SESSION_TTL_MS).toISOString(), now.toISOString());
  }
  const u = session.user;
  return {
    principal: { kind: 'user', userId: u.id, name: u.name, role: u.role as Role, teamId: u.teamId, managerId: u.managerId },
    csrfToken: session.csrfToken,
    user: toUserView(u),
  };
}

/**
 * Whether the session behind a long-lived request (the live stream) still stands: not signed
 * out, expired, or ended by a password or role change or a deactivation. Only reads: keeping a
 * stream open does not extend the session.
 */
export async function sessionStillActive(ctx: AppContext, token: string): Promise<boolean> {
  const session = await findActiveSession(ctx.store.db, sessionIdOf(token), ctx.now().toISOString());
  return session !== undefined && session.user.active;
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await deleteSession(ctx.store.db, sessionIdOf(token));
}

export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
