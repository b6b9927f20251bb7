import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SYSTEM } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { userInputSchema } from './user-input.js';
import { createUser, type UserView } from './users.js';

/** Whether nobody can sign in yet: the database has no person at all. */
export async function hasNoUsers(ctx: AppContext): Promise<boolean> {
  const row = await ctx.store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export const firstAdminInputSchema = z.strictObject({
  token: z.string().min(1).max(200).describe('The setup token printed in the server log at the first start'),
  email: userInputSchema.shape.email,
  name: userInputSchema.shape.name,
  password: userInputSchema.shape.password,
  locale: userInputSchema.shape.locale,
});
export type FirstAdminInput = z.infer<typeof firstAdminInputSchema>;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * A one-time token printed when a server starts on a database without people: whoever reads
 * the server's log may create the first admin with it, once. It lives in this process only
 * (a restart prints a new one while the database is still empty) and is spent by the first
 * admin made, by it or by `leadrouter create-admin`.
 */
export class SetupToken {
  private readonly hash: Buffer;
  private spent = false;

  constructor(readonly plaintext: string = `lr_setup_${randomBytes(24).toString('base64url')}`) {
    this.hash = digest(plaintext);
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(this.hash, digest(candidate));
  }

  /** Marks it used before anything is awaited, so two requests at once cannot both pass. */
  spend(): boolean {
    if (this.spent) return false;
    this.spent = true;
    return true;
  }

  /** Gives it back after the admin could not be made (a database error), so it can be tried again. */
  release(): void {
    this.spent = false;
  }

  get used(): boolean {
    return this.spent;
  }
}

/** Whether the first-admin setup is open: a token exists, is unspent, and nobody has been created yet. */
export async function setupOpen(ctx: AppContext, token: SetupToken | undefined): Promise<boolean> {
  return token !== undefined && !token.used && (await hasNoUsers(ctx));
}

export async function createFirstAdmin(ctx: AppContext, token: SetupToken | undefined, input: FirstAdminInput): Promise<UserView> {
  if (!(await setupOpen(ctx, token)) || !token) throw new LeadRouterError('LR_ERR_CONFLICT', 'The first admin already exists; sign in, or ask an admin for an account');
  if (!token.matches(input.token)) throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The setup token is wrong; copy it from the server log of this start');
  if (!token.spend()) throw new LeadRouterError('LR_ERR_CONFLICT', 'The setup token was already used');
  try {
    return await createUser(ctx, SYSTEM('setup'), { email: input.email, name: input.name, password: input.password, role: 'admin', locale: input.locale ?? null });
  } catch (error) {
    token.release();
    throw error;
  }
}
