import { countPoolLeads, listPoolLeads } from '../../store/pool-queries.js';
import type { LeadRecord } from '../../store/lead-queries.js';
import { isAdmin, type Principal } from '../access/principal.js';
import type { AppContext } from '../app-context.js';
import { LeadRouterError } from '../errors.js';
import { poolSettingsOf, teamOfPrincipal, type PoolSettingsView } from './pool-settings.js';

export interface PoolPage {
  settings: PoolSettingsView;
  /** Leads waiting in the pool now. */
  total: number;
  /** In the team's order; empty for a manager whose team takes the next lead instead of picking. */
  items: LeadRecord[];
}

export async function poolFor(ctx: AppContext, principal: Principal, page: { limit: number }): Promise<PoolPage> {
  const db = ctx.store.db;
  if (principal.kind === 'user' && principal.role === 'qualifier') throw new LeadRouterError('LR_ERR_FORBIDDEN', 'The pool is for sales managers');
  const settings = await poolSettingsOf(db, await teamOfPrincipal(db, principal));
  const seesList = settings.mode === 'pick' || principal.kind !== 'user' || isAdmin(principal) || principal.role === 'head';
  const [total, items] = await Promise.all([countPoolLeads(db), seesList ? listPoolLeads(db, settings.order, { limit: page.limit }) : Promise.resolve([])]);
  return { settings, total, items };
}
