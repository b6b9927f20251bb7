import { sql } from 'kysely';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { companyNameKey } from '../../core/normalize/company-name.js';
import { pickOne, seededRandom } from '../../core/seeded-random.js';
import { insertCompanies, insertContacts, type NewCompany } from '../../store/client-queries.js';
import { insertAbsence, insertManagers, insertTeam, recountOpenLeads, type NewManager } from '../../store/manager-queries.js';
import { SYSTEM, type UserPrincipal } from '../access/principal.js';
import { ensureApiKey } from '../api-keys.js';
import { hashPassword } from '../people/passwords.js';
import { createUser, type UserView } from '../people/users.js';
import { arrivalTimes, demoCalendar, playHistory, type DemoPerson, type HistoryPlan, type Pace } from './demo-history.js';
import { changeQualificationSetting } from '../lifecycle/qualification-setting.js';
import { createSlaPolicy } from '../sla/manage-sla.js';
import { slaPolicyInputSchema } from '../sla/sla-input.js';
import type { AppContext } from '../app-context.js';
import type { LeadInput } from '../intake/lead-input.js';
import { publishDefinition } from '../routing/rule-sets.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';
import { DEMO_API_KEY, DEMO_PASSWORD } from './demo-credentials.js';
import { closeLastBonusMonth, playBonusDeals, seedBonusSettings } from './demo-bonuses.js';

import { DEMO_LEADS } from './demo-size.js';
import { seedDemoPlans } from './demo-plans.js';
import { refreshRollups } from '../reports/rollups/refresh-rollups.js';

export { DEMO_LEADS };

export { DEMO_API_KEY, DEMO_PASSWORD } from './demo-credentials.js';

const WEEKDAYS_9_18: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const SHIFT_8_20_SIX_DAYS: WeeklyHours = { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']], thu: [['08:00', '20:00']], fri: [['08:00', '20:00']], sat: [['10:00', '16:00']] };
/** Every day of the week, the same hours: the on-duty rota's shifts. */
function everyDay(from: string, to: string): WeeklyHours {
  const day: Array<[string, string]> = [[from, to]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
}
const SPLIT_DAY: WeeklyHours = { mon: [['09:00', '13:00'], ['14:00', '18:00']], tue: [['09:00', '13:00'], ['14:00', '18:00']], wed: [['09:00', '13:00'], ['14:00', '18:00']], thu: [['09:00', '13:00'], ['14:00', '18:00']], fri: [['09:00', '16:00']] };

const TEAMS = [
  { id: 'team-moscow', name: 'Москва' },
  { id: 'team-spb', name: 'Санкт-Петербург' },
  { id: 'team-siberia', name: 'Сибирь', timeZone: 'Asia/Novosibirsk' },
  { id: 'team-far-east', name: 'Дальний Восток', timeZone: 'Asia/Vladivostok' },
  { id: 'team-enterprise', name: 'Крупные клиенты' },
];

type DemoManager = Omit<NewManager, 'email' | 'role' | 'paused' | 'industries' | 'languages'> & Partial<Pick<NewManager, 'role' | 'paused' | 'industries' | 'languages'>>;

const MANAGERS: DemoManager[] = [
  // The head of sales runs the department and gets no leads by the rules: nights and weekends are the on-duty rota's.
  { id: 'mgr-head', teamId: null, name: 'Ольга Смирнова (РОП)', role: 'head', weight: 1, maxOpen: null, maxPerDay: null, skills: ['*'], regions: ['*'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-anna', teamId: 'team-moscow', name: 'Анна Петрова', weight: 3, maxOpen: 200, maxPerDay: 40, skills: ['crm', 'telephony'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-ivan', teamId: 'team-moscow', name: 'Иван Кузнецов', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'analytics'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: SHIFT_8_20_SIX_DAYS },
  { id: 'mgr-maria', teamId: 'team-moscow', name: 'Мария Соколова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['telephony'], regions: ['Москва'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  // Runs a branch as well, so gets a smaller share.
  { id: 'mgr-dmitry', teamId: 'team-moscow', name: 'Дмитрий Волков', weight: 1, maxOpen: 100, maxPerDay: 15, skills: ['crm', 'consulting'], regions: ['Москва', 'Тверская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-elena', teamId: 'team-moscow', name: 'Елена Морозова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['analytics'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: SPLIT_DAY },
  { id: 'mgr-sergey', teamId: 'team-spb', name: 'Сергей Новиков', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Санкт-Петербург', 'Ленинградская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  // On duty every day 12:00–24:00 Moscow time (the evening shift of the rota).
  { id: 'mgr-tatiana', teamId: 'team-spb', name: 'Татьяна Лебедева', weight: 2, maxOpen: 150, maxPerDay: 40, skills: ['crm', 'analytics'], regions: ['Санкт-Петербург', 'Ленинградская область'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: everyDay('12:00', '24:00') },
  { id: 'mgr-alexey', teamId: 'team-spb', name: 'Алексей Козлов', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['telephony'], regions: ['Санкт-Петербург', 'Калининградская область'], timeZone: 'Europe/Kaliningrad', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-natalia', teamId: 'team-spb', name: 'Наталья Попова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm'], regions: ['Санкт-Петербург'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18, paused: true },
  { id: 'mgr-pavel', teamId: 'team-siberia', name: 'Павел Федоров', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Новосибирская область', 'Томская область'], timeZone: 'Asia/Novosibirsk', workingHours: WEEKDAYS_9_18 },
  // On duty every day 08:00–20:00 in Novosibirsk (04:00–16:00 in Moscow: the morning shift).
  { id: 'mgr-yulia', teamId: 'team-siberia', name: 'Юлия Михайлова', weight: 2, maxOpen: 150, maxPerDay: 40, skills: ['analytics', 'crm'], regions: ['Новосибирская область', 'Красноярский край'], timeZone: 'Asia/Novosibirsk', workingHours: everyDay('08:00', '20:00') },
  { id: 'mgr-oleg', teamId: 'team-siberia', name: 'Олег Васильев', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['telephony'], regions: ['Свердловская область', 'Челябинская область'], timeZone: 'Asia/Yekaterinburg', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-irina', teamId: 'team-siberia', name: 'Ирина Зайцева', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm'], regions: ['Свердловская область', 'Тюменская область'], timeZone: 'Asia/Yekaterinburg', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-nikolai', teamId: 'team-far-east', name: 'Николай Павлов', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Приморский край', 'Хабаровский край'], timeZone: 'Asia/Vladivostok', workingHours: WEEKDAYS_9_18 },
  // On duty every day 06:00–18:00 in Vladivostok (23:00–11:00 in Moscow: the night shift).
  { id: 'mgr-svetlana', teamId: 'team-far-east', name: 'Светлана Семенова', weight: 2, maxOpen: 150, maxPerDay: 40, skills: ['analytics'], regions: ['Приморский край', 'Сахалинская область'], languages: ['ru', 'en'], timeZone: 'Asia/Vladivostok', workingHours: everyDay('06:00', '18:00') },
  { id: 'mgr-artem', teamId: 'team-far-east', name: 'Артем Голубев', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['crm'], regions: ['Хабаровский край', 'Амурская область'], timeZone: 'Asia/Vladivostok', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-victoria', teamId: 'team-enterprise', name: 'Виктория Виноградова', weight: 3, maxOpen: 60, maxPerDay: 8, skills: ['crm', 'analytics', 'consulting'], regions: ['*'], industries: ['банки', 'ритейл', 'производство'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-andrey', teamId: 'team-enterprise', name: 'Андрей Богданов', weight: 2, maxOpen: 60, maxPerDay: 8, skills: ['crm', 'consulting'], regions: ['*'], industries: ['производство', 'логистика', 'IT'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-ekaterina', teamId: 'team-enterprise', name: 'Екатерина Воробьева', weight: 2, maxOpen: 60, maxPerDay: 8, skills: ['analytics', 'consulting'], regions: ['*'], industries: ['банки', 'IT', 'телеком'], languages: ['ru', 'en'], timeZone: 'Asia/Novosibirsk', workingHours: WEEKDAYS_9_18 },
];

/** The on-duty rota: between them their shifts cover every hour of every day in every zone of the demo. */
export const DEMO_ON_DUTY = ['mgr-tatiana', 'mgr-yulia', 'mgr-svetlana'];

/**
 * Plain JSON, as an administrator would write it; validated on publish like any other rule set.
 * A rule whose managers are all off hours (or away, or at a cap) passes the lead on to the next
 * one; the last is the on-duty rota, and only a lead the rota cannot take either waits in the
 * pool: the head of sales gets no lead by the rules, whatever the hour.
 */
export const DEMO_RULES = {
  ownership: { enabled: true, whenOwnerUnavailable: 'wait' },
  rules: [
    { id: 'partners', name: 'Партнёрские заявки — Виктории, вручную', when: { field: 'source', op: 'eq', value: 'partner' }, target: { kind: 'person', managerId: 'mgr-victoria' } },
    { id: 'cold-base', name: 'Купленная база — в пул', when: { field: 'source', op: 'eq', value: 'purchased-base' }, target: { kind: 'pool' } },
    {
      id: 'enterprise',
      name: 'Крупные сделки',
      when: { any: [{ field: 'dealValue', op: 'gte', value: 1_000_000 }, { field: 'companySize', op: 'gte', value: 500 }] },
      target: { kind: 'group', teams: ['team-enterprise'], strategy: 'performance', match: ['industry'] },
      onNoCandidate: 'next_rule',
    },
    { id: 'english', name: 'Англоязычные клиенты', when: { field: 'language', op: 'eq', value: 'en' }, target: { kind: 'group', teams: ['team-moscow', 'team-spb', 'team-siberia', 'team-far-east', 'team-enterprise'], strategy: 'least_loaded', match: ['language'] } },
    { id: 'moscow', name: 'Москва и область', when: { field: 'region', op: 'in', value: ['Москва', 'Московская область', 'Тверская область'] }, target: { kind: 'group', teams: ['team-moscow'], strategy: 'weighted' } },
    { id: 'north-west', name: 'Северо-Запад', when: { field: 'region', op: 'in', value: ['Санкт-Петербург', 'Ленинградская область', 'Калининградская область'] }, target: { kind: 'group', teams: ['team-spb'], strategy: 'round_robin' } },
    { id: 'siberia-urals', name: 'Сибирь и Урал', when: { field: 'region', op: 'in', value: ['Новосибирская область', 'Томская область', 'Красноярский край', 'Свердловская область', 'Челябинская область', 'Тюменская область'] }, target: { kind: 'group', teams: ['team-siberia'], strategy: 'weighted', match: ['region'] } },
    { id: 'far-east', name: 'Дальний Восток', when: { field: 'region', op: 'in', value: ['Приморский край', 'Хабаровский край', 'Сахалинская область', 'Амурская область'] }, target: { kind: 'group', teams: ['team-far-east'], strategy: 'round_robin' } },
    { id: 'everyone-else', name: 'Остальные регионы — по загрузке', target: { kind: 'group', teams: ['team-moscow', 'team-spb'], strategy: 'least_loaded', requiredSkills: ['crm'] } },
    { id: 'on-duty', name: 'Дежурная смена — вечер, ночь и выходные', target: { kind: 'group', managers: DEMO_ON_DUTY, strategy: 'round_robin' } },
  ],
  fallback: { kind: 'pool' },
};

const REGIONS = ['Москва', 'Москва', 'Москва', 'Московская область', 'Санкт-Петербург', 'Санкт-Петербург', 'Ленинградская область', 'Новосибирская область', 'Свердловская область', 'Красноярский край', 'Приморский край', 'Хабаровский край', 'Татарстан', 'Краснодарский край', 'Калининградская область'];
const SOURCES = ['website', 'website', 'website', 'yandex-direct', 'yandex-direct', 'call', 'call', 'email', 'exhibition', 'partner', 'purchased-base', 'telegram'];
const INDUSTRIES = ['ритейл', 'производство', 'IT', 'логистика', 'банки', 'строительство', 'телеком', 'медицина'];
const PRODUCTS = ['crm', 'telephony', 'analytics', 'consulting'];
const FIRST = ['Алексей', 'Мария', 'Игорь', 'Светлана', 'Константин', 'Ольга', 'Роман', 'Юлия', 'Виктор', 'Анастасия', 'Григорий', 'Дарья'];
const LAST = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Федоров'];
const FEMININE_FIRST = new Set(['Мария', 'Светлана', 'Ольга', 'Юлия', 'Анастасия', 'Дарья']);

/** A Russian full name whose surname agrees with the first name (Анастасия Соколова, not Соколов). */
function personName(random: () => number): string {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  return `${first} ${FEMININE_FIRST.has(first) ? `${last}а` : last}`;
}
const COMPANIES = ['Ромашка', 'Вектор', 'СтройИнвест', 'ТехноЛайн', 'Альфа-Логистик', 'МедСервис', 'Северный Ветер', 'ПромАвтоматика', 'Гранит', 'Орбита', 'Сфера', 'Дельта Трейд'];

const pick = pickOne;

export async function hasDemoData(ctx: AppContext): Promise<boolean> {
  const row = await ctx.store.db.selectFrom('managers').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Fills an empty database with a realistic sales department: five teams, twenty managers in
 * four time zones, known clients with owners, a published rule set, an SLA policy and about
 * 1,200 leads of the last two weeks that arrived through the real intake and were worked through
 * the use cases (calls, stages, junk, deals won and lost, transfers, pool claims, SLA sweeps; see
 * demo-history.ts), plus today's leads with their SLA clocks running.
 */
export async function seedDemoData(ctx: AppContext, options: { leads?: number } = {}): Promise<{ leads: number; apiKey: string }> {
  const random = seededRandom(20261123);
  const now = ctx.now();
  const at = new Date(now.getTime() - 15 * 86_400_000).toISOString();
  for (const team of TEAMS) await insertTeam(ctx.store.db, team, at);
  await insertManagers(
    ctx.store.db,
    MANAGERS.map((m) => ({ role: 'manager', paused: false, industries: [], languages: ['ru'], ...m, email: `${m.id.replace('mgr-', '')}@demo.leadrouter.local` })),
    at,
  );
  const localDate = (offsetDays: number): string => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  await insertAbsence(ctx.store.db, { id: ctx.newId(), managerId: 'mgr-elena', kind: 'vacation', from: localDate(-2), to: localDate(5), reason: 'Отпуск' }, at);
  await insertAbsence(ctx.store.db, { id: ctx.newId(), managerId: 'mgr-oleg', kind: 'sick', from: localDate(3), to: localDate(10), reason: 'Больничный' }, at);

  const holding: NewCompany = { id: ctx.newId(), name: 'ГК «Северсталь-Демо»', nameKey: companyNameKey('Северсталь-Демо'), taxId: '7707083893', domain: 'severstal-demo.ru', parentId: null, size: 5000, industry: 'производство', region: 'Москва', ownerId: 'mgr-victoria' };
  const companies: NewCompany[] = [holding];
  COMPANIES.forEach((name, i) => {
    companies.push({
      id: ctx.newId(), name: `ООО «${name}»`, nameKey: companyNameKey(name), taxId: null, domain: `${i}-demo-client.ru`,
      parentId: i === 0 ? holding.id : null, size: 20 + i * 40, industry: pick(random, INDUSTRIES), region: pick(random, REGIONS),
      ownerId: i % 3 === 0 ? pick(random, MANAGERS.slice(1)).id : null,
    });
  });
  await insertCompanies(ctx.store.db, companies, at);
  await insertContacts(
    ctx.store.db,
    // The first is Anna's client: it calls again at the end of the demo (see below).
    companies.slice(1, 7).map((c, i) => {
      const owner = pick(random, MANAGERS.slice(1)).id;
      return { id: ctx.newId(), name: personName(random), companyId: c.id, ownerId: i === 0 ? 'mgr-anna' : owner, phones: [`+7916555${String(1000 + i).padStart(4, '0')}`], emails: [`client${i}@${c.domain}`] };
    }),
    at,
  );

  // Everything the department set up before the two weeks of history: rules, people, the SLA policy.
  const setupCtx: AppContext = { ...ctx, now: () => new Date(now.getTime() - 15 * 86_400_000) };
  await publishDefinition(setupCtx, DEMO_RULES, 'demo', 'Демонстрационные правила');
  const apiKey = await ensureApiKey(setupCtx, { name: 'demo', scopes: ['admin'], plaintext: DEMO_API_KEY });
  const people = await seedDemoPeople(setupCtx);
  // Before the history, so every lead routed since runs a first-contact clock and the sweeper keeps it.
  await createSlaPolicy(setupCtx, SYSTEM('demo'), slaPolicyInputSchema.parse({ name: 'Входящие: первый звонок за 30 минут', firstContactMinutes: 30, nextStepMinutes: 24 * 60, warnBeforeMinutes: 10, maxReassignments: 2, onExhausted: 'head' }));
  // The teams' bonus settings, so every deal won since is credited under them (terms are fixed as a deal is won).
  await seedBonusSettings({ ...ctx, now: () => new Date(now.getTime() - 70 * 86_400_000) }, people.admin);

  const total = options.leads ?? DEMO_LEADS;
  // Of the leads asked for, the last few arrive today (see below); the rest are two weeks of history.
  const today = Math.min(24, Math.floor(total / 10));
  const snapshots = new RoutingSnapshotLoader();
  // Clients managers found themselves weeks before the history, whose deals are won over the last two
  // months (a few of the leads asked for: about one in twenty, at most eight).
  const bonusSetup = { people: people.byManager, head: people.head, admin: people.admin, now: now.getTime(), zone: 'Europe/Moscow' };
  const bonusDeals = await withoutSyncPerCommit(ctx, async () => await playBonusDeals(ctx, snapshots, bonusSetup, Math.floor(total / 20)));
  const history = Math.max(0, total - today - bonusDeals.leads);
  // History leads arrive until today's flow begins: the leads of the last three hours, one every
  // 7.5 minutes, every fourth a trade-show card for the qualifier (switched on this morning).
  // Their owners work them all until now, so today's leads run live clocks, a few about to lapse.
  const todayStart = now.getTime() - today * 7.5 * 60_000;
  const arrivals: HistoryPlan['arrivals'] = arrivalTimes(random, history, now.getTime() - 14 * 86_400_000, todayStart).map((t, i) => ({ at: t, lead: demoLead(random, i) }));
  for (let i = 0; i < today; i++) {
    const lead = demoLead(random, total + i);
    if (i % 4 === 0) lead.source = 'exhibition';
    let arrivedAt = todayStart + i * 7.5 * 60_000;
    if (i === today - 1) {
      // A minute ago Anna's client wrote in again: the rules give it to her, and it waits on her board as new.
      Object.assign(lead, { phone: '+7 916 555-10-00', source: 'website', channel: 'form', region: 'Москва' });
      arrivedAt = now.getTime() - 60_000;
    }
    arrivals.push({ at: arrivedAt, lead, key: `demo-today-${i}` });
  }
  const changes = [{ at: todayStart - 60_000, run: async (c: AppContext) => await changeQualificationSetting(c, SYSTEM('demo'), { enabled: true, sources: ['exhibition'] }) }];
  const played = await withoutSyncPerCommit(ctx, async () => await playHistory(ctx, snapshots, { arrivals, changes, people: people.byManager, head: people.head, admin: people.admin, end: now.getTime(), apiKeyId: apiKey.id }, random));
  // Last month closed (the bonus report's payroll), a deal of it discounted since.
  await closeLastBonusMonth(ctx, bonusSetup, bonusDeals.discounted);
  await recountOpenLeads(ctx.store.db);
  // This month's and last month's plans, set from the pace each manager kept in the history.
  await seedDemoPlans(ctx);
  const created = played.leads + bonusDeals.leads;
  // The reports' rollups of the whole history now, before requests come: built in the background
  // they would compete with the first requests for the database.
  await refreshRollups(ctx);
  return { leads: created, apiKey: DEMO_API_KEY };
}

/**
 * The history is thousands of small transactions; on SQLite each would wait for its own disk
 * sync (synchronous = FULL). Demo data is rebuilt rather than recovered, so while it loads the
 * commits are not synced one by one, and one checkpoint at the end puts them on disk.
 */
async function withoutSyncPerCommit<T>(ctx: AppContext, work: () => Promise<T>): Promise<T> {
  if (ctx.store.kind !== 'sqlite') return await work();
  const db = ctx.store.db;
  const before = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
  const level = before.rows[0]?.synchronous ?? 2;
  await sql`pragma synchronous = OFF`.execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma synchronous = ${Number(level)}`).execute(db);
    await sql`pragma wal_checkpoint(FULL)`.execute(db);
  }
}

async function seedDemoPeople(ctx: AppContext): Promise<{ byManager: Map<string, DemoPerson>; head: UserPrincipal; admin: UserPrincipal }> {
  const system = SYSTEM('demo');
  const person = { password: DEMO_PASSWORD, locale: 'ru' as const };
  // Everyone in the demo has the published password: hashed once at full cost, not once a person.
  const hashed = { passwordHash: await hashPassword(DEMO_PASSWORD) };
  const principal = (u: UserView): UserPrincipal => ({ kind: 'user', userId: u.id, name: u.name, role: u.role, teamId: u.teamId, managerId: u.managerId });
  const admin = principal(await createUser(ctx, system, { ...person, email: 'admin@demo.leadrouter.local', name: 'Администратор', role: 'admin' }, hashed));
  const head = principal(await createUser(ctx, system, { ...person, email: 'head@demo.leadrouter.local', name: 'Ольга Смирнова (РОП)', role: 'head', teamId: 'team-moscow', managerId: 'mgr-head' }, hashed));
  await createUser(ctx, system, { ...person, email: 'qualifier@demo.leadrouter.local', name: 'Кирилл Орлов (квалификация)', role: 'qualifier' }, hashed);
  const byManager = new Map<string, DemoPerson>();
  for (const m of MANAGERS) {
    const user = m.id === 'mgr-head' ? head : principal(await createUser(ctx, system, { ...person, email: `${m.id.replace('mgr-', '')}@demo.leadrouter.local`, name: m.name, role: 'manager', managerId: m.id }, hashed));
    byManager.set(m.id, { principal: user, calendar: demoCalendar(m.timeZone, m.workingHours), pace: PACE[m.id] ?? { medianMinutes: 20, never: 0.05 }, teamId: m.teamId });
  }
  return { byManager, head, admin };
}

/**
 * How fast each demo manager makes the first call (median business minutes) and how often never:
 * a few are quick, a few slow, so speed to lead and SLA compliance differ by manager.
 */
const PACE: Record<string, Pace> = {
  'mgr-head': { medianMinutes: 12, never: 0.04 },
  'mgr-anna': { medianMinutes: 6, never: 0.02 },
  'mgr-ivan': { medianMinutes: 9, never: 0.03 },
  'mgr-maria': { medianMinutes: 14, never: 0.04 },
  'mgr-dmitry': { medianMinutes: 75, never: 0.1 },
  'mgr-elena': { medianMinutes: 18, never: 0.04 },
  'mgr-sergey': { medianMinutes: 7, never: 0.02 },
  'mgr-tatiana': { medianMinutes: 11, never: 0.03 },
  'mgr-alexey': { medianMinutes: 90, never: 0.1 },
  'mgr-natalia': { medianMinutes: 25, never: 0.05 },
  'mgr-pavel': { medianMinutes: 10, never: 0.03 },
  'mgr-yulia': { medianMinutes: 6, never: 0.02 },
  'mgr-oleg': { medianMinutes: 40, never: 0.06 },
  'mgr-irina': { medianMinutes: 16, never: 0.04 },
  'mgr-nikolai': { medianMinutes: 12, never: 0.03 },
  'mgr-svetlana': { medianMinutes: 8, never: 0.02 },
  'mgr-artem': { medianMinutes: 100, never: 0.12 },
  'mgr-victoria': { medianMinutes: 15, never: 0.02 },
  'mgr-andrey': { medianMinutes: 35, never: 0.05 },
  'mgr-ekaterina': { medianMinutes: 20, never: 0.03 },
};

function demoLead(random: () => number, n: number): LeadInput {
  const company = random() < 0.25 ? pick(random, COMPANIES) : undefined;
  const big = random() < 0.08;
  const lead: LeadInput = {
    name: personName(random),
    phone: `+7 9${String(Math.floor(random() * 1e9)).padStart(9, '0')}`.replace(/^(\+7 9\d{2})(\d{3})(\d{2})(\d{2})$/, '$1 $2-$3-$4'),
    source: pick(random, SOURCES),
    channel: random() < 0.5 ? 'form' : 'phone',
    region: pick(random, REGIONS),
    industry: pick(random, INDUSTRIES),
    productInterest: [pick(random, PRODUCTS)],
    companySize: big ? 500 + Math.floor(random() * 5000) : 5 + Math.floor(random() * 200),
    dealValue: big ? 1_000_000 + Math.floor(random() * 9_000_000) : 30_000 + Math.floor(random() * 500_000),
    language: random() < 0.06 ? 'en' : 'ru',
    score: Math.floor(random() * 100),
    custom: { demoSeq: n },
  };
  if (company) lead.companyName = `ООО «${company}»`;
  if (random() < 0.6) lead.email = `lead${n}@${company ? `${COMPANIES.indexOf(company)}-demo-client.ru` : 'mail.ru'}`;
  if (random() < 0.3) {
    lead.utm = { source: 'yandex', medium: 'cpc', campaign: pick(random, ['brand', 'crm-spring', 'retarget']) };
    lead.campaign = lead.utm.campaign;
  }
  return lead;
}
