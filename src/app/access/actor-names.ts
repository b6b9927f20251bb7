import { userNames } from '../../store/user-queries.js';
import type { AppContext } from '../app-context.js';

/**
 * Names to show for actors as they are stored (`user:<id>`, `api-key:<id>`, `system:<name>`):
 * a person's name, an API key's name, or the system job's name. An actor that no longer
 * resolves keeps no entry, so the caller shows the raw actor.
 */
export async function actorDisplayNames(ctx: AppContext, actors: Iterable<string | null>): Promise<Map<string, string>> {
  const userIds = new Set<string>();
  const keyIds = new Set<string>();
  const out = new Map<string, string>();
  for (const actor of actors) {
    if (!actor) continue;
    const [kind, ref] = splitActor(actor);
    if (kind === 'user') userIds.add(ref);
    else if (kind === 'api-key') keyIds.add(ref);
    else if (kind === 'system') out.set(actor, ref);
  }
  for (const [id, name] of await userNames(ctx.store.db, [...userIds])) out.set(`user:${id}`, name);
  if (keyIds.size > 0) {
    const keys = await ctx.store.db.selectFrom('api_keys').select(['id', 'name']).where('id', 'in', [...keyIds]).execute();
    for (const key of keys) out.set(`api-key:${key.id}`, key.name);
  }
  return out;
}

function splitActor(actor: string): [string, string] {
  const colon = actor.indexOf(':');
  return colon < 0 ? ['', actor] : [actor.slice(0, colon), actor.slice(colon + 1)];
}
