import type { Kysely } from 'kysely';
import { readJson, writeJson } from './json.js';
import type { Database } from './schema.js';

/** How to reach a person and what they chose to hear about. */
export interface RecipientRecord {
  id: string;
  name: string;
  email: string | null;
  telegramChatId: string | null;
  /** null: not chosen. */
  locale: string | null;
  active: boolean;
  /** topic → channels, as stored; null means the defaults everywhere. */
  prefs: Record<string, string[]> | null;
}

const RECIPIENT_COLUMNS = ['id', 'name', 'email', 'telegram_chat_id', 'locale', 'active', 'notification_prefs'] as const;

function toRecipient(r: { id: string; name: string; email: string; telegram_chat_id: string | null; locale: string | null; active: number; notification_prefs: string | null }): RecipientRecord {
  return {
    id: r.id, name: r.name, email: r.email || null, telegramChatId: r.telegram_chat_id, locale: r.locale, active: r.active === 1,
    prefs: readJson<Record<string, string[]> | null>(r.notification_prefs, null),
  };
}

/** Who a message is for: the users of routing profiles, the heads of those profiles' teams, users by id. */
export interface AudienceIds {
  managers: string[];
  headsOf: string[];
  users: string[];
  /** Everyone who may take a lead from the pool: each active person with a routing profile (a pool offer). */
  pool?: boolean;
}

/**
 * The active people any of these audiences name, read in two queries however many audiences
 * there are; the returned function picks one audience's people out of them, each person once,
 * ordered by id.
 */
export async function loadAudiences(db: Kysely<Database>, audiences: AudienceIds[]): Promise<(audience: AudienceIds) => RecipientRecord[]> {
  const managers = [...new Set(audiences.flatMap((a) => a.managers))];
  const headsOf = [...new Set(audiences.flatMap((a) => a.headsOf))];
  const users = [...new Set(audiences.flatMap((a) => a.users))];
  const pool = audiences.some((a) => a.pool === true);
  const teamOf = new Map<string, string>();
  if (headsOf.length > 0) {
    const rows = await db.selectFrom('managers').select(['id', 'team_id']).where('id', 'in', headsOf).where('team_id', 'is not', null).execute();
    for (const r of rows) if (r.team_id !== null) teamOf.set(r.id, r.team_id);
  }
  const teams = [...new Set(teamOf.values())];
  if (managers.length + teams.length + users.length === 0 && !pool) return () => [];
  const rows = await db
    .selectFrom('users')
    .select([...RECIPIENT_COLUMNS, 'manager_id', 'team_id', 'role'])
    .where('active', '=', 1)
    .where((eb) =>
      eb.or([
        ...(managers.length > 0 ? [eb('manager_id', 'in', managers)] : []),
        ...(teams.length > 0 ? [eb.and([eb('role', '=', 'head'), eb('team_id', 'in', teams)])] : []),
        ...(users.length > 0 ? [eb('id', 'in', users)] : []),
        ...(pool ? [eb('manager_id', 'is not', null)] : []),
      ]),
    )
    .execute();
  const byManager = new Map<string, RecipientRecord[]>();
  const headsOfTeam = new Map<string, RecipientRecord[]>();
  const byId = new Map<string, RecipientRecord>();
  const claimers: RecipientRecord[] = [];
  const push = (map: Map<string, RecipientRecord[]>, key: string, person: RecipientRecord): void => {
    const list = map.get(key);
    if (list) list.push(person);
    else map.set(key, [person]);
  };
  for (const r of rows) {
    const person = toRecipient(r);
    byId.set(person.id, person);
    if (r.manager_id !== null) push(byManager, r.manager_id, person);
    if (r.role === 'head' && r.team_id !== null) push(headsOfTeam, r.team_id, person);
    if (r.manager_id !== null) claimers.push(person);
  }
  return (audience) => {
    const found = new Map<string, RecipientRecord>();
    const add = (people: RecipientRecord[] | undefined): void => {
      for (const p of people ?? []) found.set(p.id, p);
    };
    for (const m of audience.managers) add(byManager.get(m));
    if (audience.pool) add(claimers);
    for (const m of audience.headsOf) {
      const team = teamOf.get(m);
      if (team !== undefined) add(headsOfTeam.get(team));
    }
    for (const u of audience.users) {
      const person = byId.get(u);
      if (person) found.set(person.id, person);
    }
    return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  };
}

/** These users (active or not) by id; ids that name nobody are missing from the map. */
export async function findRecipients(db: Kysely<Database>, ids: string[]): Promise<Map<string, RecipientRecord>> {
  const found = new Map<string, RecipientRecord>();
  for (let i = 0; i < ids.length; i += 5_000) {
    const rows = await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('id', 'in', ids.slice(i, i + 5_000)).execute();
    for (const r of rows) found.set(r.id, toRecipient(r));
  }
  return found;
}

export async function findRecipient(db: Kysely<Database>, userId: string): Promise<RecipientRecord | null> {
  const row = await db.selectFrom('users').select(RECIPIENT_COLUMNS).where('id', '=', userId).executeTakeFirst();
  return row ? toRecipient(row) : null;
}

export async function updateNotificationPrefs(db: Kysely<Database>, userId: string, prefs: Record<string, string[]> | null, at: string): Promise<void> {
  await db.updateTable('users').set({ notification_prefs: prefs === null ? null : writeJson(prefs), updated_at: at }).where('id', '=', userId).execute();
}

export async function updateTelegramChat(db: Kysely<Database>, userId: string, chatId: string | null, at: string): Promise<void> {
  await db.updateTable('users').set({ telegram_chat_id: chatId, updated_at: at }).where('id', '=', userId).execute();
}
