import type { CountryCode } from '../../core/normalize/index.js';
import type { WeeklyHours } from '../../core/routing/manager-profile.js';
import { companyNameKey } from '../../core/normalize/company-name.js';
import { pickOne, seededRandom } from '../../core/seeded-random.js';
import { insertCompanies, insertContacts, type NewCompany } from '../../store/client-queries.js';
import { setLeadStatus } from '../../store/lead-queries.js';
import { insertAbsence, insertManagers, insertTeam, recountOpenLeads, type NewManager } from '../../store/manager-queries.js';
import { SYSTEM } from '../access/principal.js';
import { ensureApiKey } from '../api-keys.js';
import { createUser } from '../people/users.js';
import { changeQualificationSetting } from '../lifecycle/qualification-setting.js';
import { createSlaPolicy } from '../sla/manage-sla.js';
import { slaPolicyInputSchema } from '../sla/sla-input.js';
import type { AppContext } from '../app-context.js';
import { intakeLeads, type IntakeRequest } from '../intake/intake-leads.js';
import type { LeadInput } from '../intake/lead-input.js';
import { prepareLead } from '../intake/prepare-lead.js';
import { publishDefinition } from '../routing/rule-sets.js';
import { RoutingSnapshotLoader } from '../routing/routing-snapshot.js';

/** A well-known key for trying the API against demo data; never use demo data in production. */
export const DEMO_API_KEY = 'lr_demo_0000000000000000000000000000';

const WEEKDAYS_9_18: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const SHIFT_8_20_SIX_DAYS: WeeklyHours = { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']], thu: [['08:00', '20:00']], fri: [['08:00', '20:00']], sat: [['10:00', '16:00']] };
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
  { id: 'mgr-head', teamId: null, name: 'Ольга Смирнова (РОП)', role: 'head', weight: 1, maxOpen: null, maxPerDay: null, skills: ['*'], regions: ['*'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: null },
  { id: 'mgr-anna', teamId: 'team-moscow', name: 'Анна Петрова', weight: 3, maxOpen: 200, maxPerDay: 40, skills: ['crm', 'telephony'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-ivan', teamId: 'team-moscow', name: 'Иван Кузнецов', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'analytics'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: SHIFT_8_20_SIX_DAYS },
  { id: 'mgr-maria', teamId: 'team-moscow', name: 'Мария Соколова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['telephony'], regions: ['Москва'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  // Runs a branch as well, so gets a smaller share.
  { id: 'mgr-dmitry', teamId: 'team-moscow', name: 'Дмитрий Волков', weight: 1, maxOpen: 100, maxPerDay: 15, skills: ['crm', 'consulting'], regions: ['Москва', 'Тверская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-elena', teamId: 'team-moscow', name: 'Елена Морозова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['analytics'], regions: ['Москва', 'Московская область'], timeZone: 'Europe/Moscow', workingHours: SPLIT_DAY },
  { id: 'mgr-sergey', teamId: 'team-spb', name: 'Сергей Новиков', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Санкт-Петербург', 'Ленинградская область'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-tatiana', teamId: 'team-spb', name: 'Татьяна Лебедева', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'analytics'], regions: ['Санкт-Петербург', 'Ленинградская область'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: SHIFT_8_20_SIX_DAYS },
  { id: 'mgr-alexey', teamId: 'team-spb', name: 'Алексей Козлов', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['telephony'], regions: ['Санкт-Петербург', 'Калининградская область'], timeZone: 'Europe/Kaliningrad', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-natalia', teamId: 'team-spb', name: 'Наталья Попова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm'], regions: ['Санкт-Петербург'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18, paused: true },
  { id: 'mgr-pavel', teamId: 'team-siberia', name: 'Павел Федоров', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Новосибирская область', 'Томская область'], timeZone: 'Asia/Novosibirsk', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-yulia', teamId: 'team-siberia', name: 'Юлия Михайлова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['analytics', 'crm'], regions: ['Новосибирская область', 'Красноярский край'], timeZone: 'Asia/Novosibirsk', workingHours: SHIFT_8_20_SIX_DAYS },
  { id: 'mgr-oleg', teamId: 'team-siberia', name: 'Олег Васильев', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['telephony'], regions: ['Свердловская область', 'Челябинская область'], timeZone: 'Asia/Yekaterinburg', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-irina', teamId: 'team-siberia', name: 'Ирина Зайцева', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm'], regions: ['Свердловская область', 'Тюменская область'], timeZone: 'Asia/Yekaterinburg', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-nikolai', teamId: 'team-far-east', name: 'Николай Павлов', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['crm', 'telephony'], regions: ['Приморский край', 'Хабаровский край'], timeZone: 'Asia/Vladivostok', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-svetlana', teamId: 'team-far-east', name: 'Светлана Семенова', weight: 2, maxOpen: 150, maxPerDay: 30, skills: ['analytics'], regions: ['Приморский край', 'Сахалинская область'], languages: ['ru', 'en'], timeZone: 'Asia/Vladivostok', workingHours: SHIFT_8_20_SIX_DAYS },
  { id: 'mgr-artem', teamId: 'team-far-east', name: 'Артем Голубев', weight: 1, maxOpen: 100, maxPerDay: 20, skills: ['crm'], regions: ['Хабаровский край', 'Амурская область'], timeZone: 'Asia/Vladivostok', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-victoria', teamId: 'team-enterprise', name: 'Виктория Виноградова', weight: 3, maxOpen: 60, maxPerDay: 8, skills: ['crm', 'analytics', 'consulting'], regions: ['*'], industries: ['банки', 'ритейл', 'производство'], languages: ['ru', 'en'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-andrey', teamId: 'team-enterprise', name: 'Андрей Богданов', weight: 2, maxOpen: 60, maxPerDay: 8, skills: ['crm', 'consulting'], regions: ['*'], industries: ['производство', 'логистика', 'IT'], timeZone: 'Europe/Moscow', workingHours: WEEKDAYS_9_18 },
  { id: 'mgr-ekaterina', teamId: 'team-enterprise', name: 'Екатерина Воробьева', weight: 2, maxOpen: 60, maxPerDay: 8, skills: ['analytics', 'consulting'], regions: ['*'], industries: ['банки', 'IT', 'телеком'], languages: ['ru', 'en'], timeZone: 'Asia/Novosibirsk', workingHours: WEEKDAYS_9_18 },
];

/** Plain JSON, as an administrator would write it; validated on publish like any other rule set. */
const DEMO_RULES = {
  ownership: { enabled: true, whenOwnerUnavailable: 'wait' },
  rules: [
    { id: 'partners', name: 'Партнёрские заявки — вручную', when: { field: 'source', op: 'eq', value: 'partner' }, target: { kind: 'person', managerId: 'mgr-head' } },
    { id: 'cold-base', name: 'Купленная база — в пул', when: { field: 'source', op: 'eq', value: 'purchased-base' }, target: { kind: 'pool' } },
    {
      id: 'enterprise',
      name: 'Крупные сделки',
      when: { any: [{ field: 'dealValue', op: 'gte', value: 1_000_000 }, { field: 'companySize', op: 'gte', value: 500 }] },
      target: { kind: 'group', teams: ['team-enterprise'], strategy: 'performance', match: ['industry'] },
      onNoCandidate: 'next_rule',
    },
    { id: 'english', name: 'Англоязычные клиенты', when: { field: 'language', op: 'eq', value: 'en' }, target: { kind: 'group', strategy: 'least_loaded', match: ['language'] } },
    { id: 'moscow', name: 'Москва и область', when: { field: 'region', op: 'in', value: ['Москва', 'Московская область', 'Тверская область'] }, target: { kind: 'group', teams: ['team-moscow'], strategy: 'weighted' } },
    { id: 'north-west', name: 'Северо-Запад', when: { field: 'region', op: 'in', value: ['Санкт-Петербург', 'Ленинградская область', 'Калининградская область'] }, target: { kind: 'group', teams: ['team-spb'], strategy: 'round_robin' } },
    { id: 'siberia-urals', name: 'Сибирь и Урал', when: { field: 'region', op: 'in', value: ['Новосибирская область', 'Томская область', 'Красноярский край', 'Свердловская область', 'Челябинская область', 'Тюменская область'] }, target: { kind: 'group', teams: ['team-siberia'], strategy: 'weighted', match: ['region'] } },
    { id: 'far-east', name: 'Дальний Восток', when: { field: 'region', op: 'in', value: ['Приморский край', 'Хабаровский край', 'Сахалинская область', 'Амурская область'] }, target: { kind: 'group', teams: ['team-far-east'], strategy: 'round_robin' } },
    { id: 'everyone-else', name: 'Остальные регионы — по загрузке', target: { kind: 'group', teams: ['team-moscow', 'team-spb'], strategy: 'least_loaded', requiredSkills: ['crm'] } },
  ],
  fallback: { kind: 'manager', managerId: 'mgr-head' },
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
 * four time zones, known clients with owners, a published rule set and about 2,000 leads routed
 * through the real intake over the last two weeks.
 */
export async function seedDemoData(ctx: AppContext, options: { leads?: number } = {}): Promise<{ leads: number; apiKey: string }> {
  const random = seededRandom(20261123);
  const now = ctx.now();
  const at = now.toISOString();
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
    companies.slice(1, 7).map((c, i) => ({ id: ctx.newId(), name: personName(random), companyId: c.id, ownerId: pick(random, MANAGERS.slice(1)).id, phones: [`+7916555${String(1000 + i).padStart(4, '0')}`], emails: [`client${i}@${c.domain}`] })),
    at,
  );

  const ruleSetCtx: AppContext = { ...ctx, now: () => new Date(now.getTime() - 15 * 86_400_000) };
  await publishDefinition(ruleSetCtx, DEMO_RULES, 'demo', 'Демонстрационные правила');
  const apiKey = await ensureApiKey(ctx, { name: 'demo', scopes: ['admin'], plaintext: DEMO_API_KEY });

  const total = options.leads ?? 2000;
  // Of the leads asked for, the last few arrive today (see below); the rest are two weeks of history.
  const today = Math.min(24, Math.floor(total / 10));
  const history = total - today;
  const batches = 100;
  const perBatch = Math.ceil(history / batches);
  const snapshots = new RoutingSnapshotLoader();
  const start = now.getTime() - 14 * 86_400_000;
  let created = 0;
  const createdIds: string[] = [];
  for (let b = 0; b < batches && created < history; b++) {
    const batchAt = new Date(start + Math.floor(((b + random()) / batches) * 14 * 86_400_000));
    const leads: LeadInput[] = [];
    for (let i = 0; i < perBatch && created + leads.length < history; i++) leads.push(demoLead(random, b * perBatch + i));
    const request: IntakeRequest = {
      leads: leads.map((l) => prepareLead(l, ctx.config.defaultCountry as CountryCode, { hash: true })),
      apiKeyId: apiKey.id,
      idempotencyKey: `demo-${b}`,
      actor: 'demo',
    };
    const [result] = await intakeLeads({ ...ctx, now: () => batchAt }, snapshots, [request]);
    if (result?.ok) {
      created += result.items.length;
      createdIds.push(...result.items.filter((it) => it.lead.ownerId).map((it) => it.lead.id));
    }
  }
  // Some history for conversion reports and performance weighting.
  const converted = createdIds.filter(() => random() < 0.12);
  const junk = createdIds.filter((id) => !converted.includes(id) && random() < 0.1);
  await setLeadStatus(ctx.store.db, converted, 'converted', at, {});
  for (const reason of ['spam', 'wrong_contact', 'no_need', 'duplicate']) {
    await setLeadStatus(ctx.store.db, junk.filter((_, i) => i % 4 === ['spam', 'wrong_contact', 'no_need', 'duplicate'].indexOf(reason)), 'junk', at, { junkReason: reason });
  }
  // The rest of the history is being worked: the board has leads in every open stage.
  const open = createdIds.filter((id) => !converted.includes(id) && !junk.includes(id));
  for (const [status, share] of [['in_progress', 0.3], ['qualified', 0.12], ['proposal', 0.06]] as const) {
    await setLeadStatus(ctx.store.db, open.filter(() => random() < share), status, at);
  }
  await recountOpenLeads(ctx.store.db);
  await seedDemoPeople(ctx);
  // After the historic leads: a new policy only starts clocks of leads that arrive from now on.
  await createSlaPolicy(ctx, SYSTEM('demo'), slaPolicyInputSchema.parse({ name: 'Входящие: первый звонок за 30 минут', firstContactMinutes: 30, nextStepMinutes: 24 * 60, warnBeforeMinutes: 10, maxReassignments: 2, onExhausted: 'head' }));
  // Trade-show cards go to the qualifier before routing, so the qualifier's queue has today's cards.
  await changeQualificationSetting(ctx, SYSTEM('demo'), { enabled: true, sources: ['exhibition'] });
  // Today's flow: leads of the last three hours arrive through intake, so their SLA clocks run (some already breached).
  for (let i = 0; i < today; i++) {
    const arrivedAt = new Date(now.getTime() - (today - i) * 7.5 * 60_000);
    const lead = demoLead(random, total + i);
    // Every fourth of today's leads is a trade-show card, for the qualifier.
    if (i % 4 === 0) lead.source = 'exhibition';
    const request: IntakeRequest = { leads: [prepareLead(lead, ctx.config.defaultCountry as CountryCode, { hash: true })], apiKeyId: apiKey.id, idempotencyKey: `demo-today-${i}`, actor: 'demo' };
    const [result] = await intakeLeads({ ...ctx, now: () => arrivedAt }, snapshots, [request]);
    if (result?.ok) created += result.items.length;
  }
  return { leads: created, apiKey: DEMO_API_KEY };
}

/** Sign-in password of every demo person (admin@, head@, qualifier@ and each manager's e-mail). */
export const DEMO_PASSWORD = 'leadrouter-demo';

async function seedDemoPeople(ctx: AppContext): Promise<void> {
  const system = SYSTEM('demo');
  const person = { password: DEMO_PASSWORD, locale: 'ru' as const };
  await createUser(ctx, system, { ...person, email: 'admin@demo.leadrouter.local', name: 'Администратор', role: 'admin' });
  await createUser(ctx, system, { ...person, email: 'head@demo.leadrouter.local', name: 'Ольга Смирнова (РОП)', role: 'head', teamId: 'team-moscow', managerId: 'mgr-head' });
  await createUser(ctx, system, { ...person, email: 'qualifier@demo.leadrouter.local', name: 'Кирилл Орлов (квалификация)', role: 'qualifier' });
  for (const m of MANAGERS.slice(1)) {
    await createUser(ctx, system, { ...person, email: `${m.id.replace('mgr-', '')}@demo.leadrouter.local`, name: m.name, role: 'manager', managerId: m.id });
  }
}

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
  if (random() < 0.3) lead.utm = { source: 'yandex', medium: 'cpc', campaign: pick(random, ['brand', 'crm-spring', 'retarget']) };
  return lead;
}
