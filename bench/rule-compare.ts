/**
 * "Try on leads" at scale: POST /api/v1/routing/compare replays the stored leads of a 90-day
 * period through the published rule set and a saved draft that changes two rules. 100,000
 * leads are loaded straight through the store (batched inserts in one transaction, no HTTP):
 * 50 managers in 5 teams across 4 time zones, a published rule set of 10 rules (person, pool,
 * performance, least loaded, weighted, round robin), realistic sources, regions, industries
 * and deal values, some leads with a known owner. The request goes through the whole
 * application in this process by Fastify's `inject()` (routing, auth, validation, the use case,
 * serialising the answer), with an admin API key, timed from the call to the parsed reply.
 *
 * Each database runs in its own child process, so its peak RSS is its own: SQLite (a fresh file)
 * and PostgreSQL (a fresh database in a throwaway embedded, durable cluster).
 *
 *   npm run bench -- rule-compare [--leads 100000] [--days 90] [--runs 3] [--only sqlite|postgres] [--cpu-prof] [--keep]
 * (--keep: leave the SQLite file in place)
 *
 * Last line: {"sqlite":{"seconds","leadsPerSec","peakRssMiB"},"postgres":{...},"leads"}.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApiKey } from '../src/app/api-keys.js';
import { createAppContext } from '../src/app/app-context.js';
import type { RuleSetComparison } from '../src/app/routing/compare-rule-sets.js';
import { createDraft, publishDefinition } from '../src/app/routing/rule-sets.js';
import { pickOne, seededRandom } from '../src/core/seeded-random.js';
import type { WeeklyHours } from '../src/core/routing/manager-profile.js';
import { buildApp } from '../src/http/build-app.js';
import type { DatabaseKind } from '../src/store/database.js';
import { insertLeads, NEW_LEAD_WORK, type LeadRecord } from '../src/store/lead-queries.js';
import { insertManagers, insertTeam, recountOpenLeads, type NewManager } from '../src/store/manager-queries.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { listLeadsForReplay } from '../src/store/replay-lead-queries.js';
import { prepareBenchDatabase, tempDir } from './support/bench-database.js';
import { summariseCpuProfileFile } from './support/cpuprofile-summary.js';

/** Monday 2026-11-30 09:00 UTC (12:00 in Moscow): the period is the 90 days before it. */
const NOW = new Date('2026-11-30T09:00:00Z');

const WEEKDAYS_9_18: WeeklyHours = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] };
const SHIFT_8_20: WeeklyHours = { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']], thu: [['08:00', '20:00']], fri: [['08:00', '20:00']], sat: [['10:00', '16:00']] };

const TEAMS = [
  { id: 'team-moscow', name: 'Москва', zone: 'Europe/Moscow', regions: ['Москва', 'Московская область', 'Тверская область'] },
  { id: 'team-spb', name: 'Санкт-Петербург', zone: 'Europe/Moscow', regions: ['Санкт-Петербург', 'Ленинградская область', 'Калининградская область'] },
  { id: 'team-siberia', name: 'Сибирь и Урал', zone: 'Asia/Novosibirsk', regions: ['Новосибирская область', 'Томская область', 'Красноярский край', 'Свердловская область', 'Челябинская область'] },
  { id: 'team-far-east', name: 'Дальний Восток', zone: 'Asia/Vladivostok', regions: ['Приморский край', 'Хабаровский край', 'Сахалинская область'] },
  { id: 'team-enterprise', name: 'Крупные клиенты', zone: 'Europe/Moscow', regions: ['*'] },
];
const INDUSTRIES = ['ритейл', 'производство', 'IT', 'логистика', 'банки', 'строительство', 'телеком', 'медицина'];
const SKILLS = ['crm', 'telephony', 'analytics', 'consulting'];
const FIRST = ['Анна', 'Иван', 'Мария', 'Дмитрий', 'Елена', 'Сергей', 'Татьяна', 'Алексей', 'Наталья', 'Павел', 'Юлия', 'Олег', 'Ирина', 'Николай'];
const LAST = ['Петров', 'Кузнецов', 'Соколов', 'Волков', 'Морозов', 'Новиков', 'Лебедев', 'Козлов', 'Попов', 'Федоров', 'Михайлов', 'Васильев'];
/** Weighted by how often each occurs. */
const REGIONS = [
  ...Array<string>(6).fill('Москва'), 'Московская область', 'Московская область', 'Тверская область', 'Санкт-Петербург', 'Санкт-Петербург', 'Санкт-Петербург',
  'Ленинградская область', 'Калининградская область', 'Новосибирская область', 'Новосибирская область', 'Томская область', 'Красноярский край', 'Свердловская область',
  'Свердловская область', 'Челябинская область', 'Приморский край', 'Хабаровский край', 'Сахалинская область', 'Татарстан', 'Краснодарский край', 'Ростовская область',
];
const SOURCES = ['website', 'website', 'website', 'website', 'yandex-direct', 'yandex-direct', 'yandex-direct', 'call', 'call', 'email', 'exhibition', 'partner', 'purchased-base', 'telegram'];
const PRODUCTS = ['crm', 'telephony', 'analytics', 'consulting'];
const COMPANIES = ['Ромашка', 'Вектор', 'СтройИнвест', 'ТехноЛайн', 'Альфа-Логистик', 'МедСервис', 'Северный Ветер', 'ПромАвтоматика', 'Гранит', 'Орбита', 'Сфера', 'Дельта Трейд'];

/** 50 managers, 10 a team. */
function buildManagers(): NewManager[] {
  const random = seededRandom(7);
  const managers: NewManager[] = [];
  TEAMS.forEach((team, t) => {
    for (let i = 0; i < 10; i++) {
      const n = t * 10 + i;
      const regions = team.regions[0] === '*' ? ['*'] : team.regions.filter((_, r) => r === i % team.regions.length || random() < 0.5);
      managers.push({
        id: `mgr-${String(n).padStart(2, '0')}`,
        teamId: team.id,
        name: `${pickOne(random, FIRST)} ${pickOne(random, LAST)} ${n}`,
        email: `m${n}@bench.leadrouter.local`,
        role: 'manager',
        weight: 1 + Math.floor(random() * 3),
        maxOpen: null,
        maxPerDay: team.id === 'team-enterprise' ? 12 : 40,
        skills: SKILLS.filter((s, k) => k === i % SKILLS.length || random() < 0.4),
        regions,
        industries: team.id === 'team-enterprise' ? INDUSTRIES.filter((_, k) => k % 5 === i % 5 || random() < 0.3) : [],
        languages: random() < 0.3 ? ['ru', 'en'] : ['ru'],
        timeZone: team.zone,
        workingHours: i % 3 === 0 ? SHIFT_8_20 : WEEKDAYS_9_18,
        paused: n === 17,
      });
    }
  });
  return managers;
}

const PUBLISHED = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [
    { id: 'partners', name: 'Партнёрские заявки — руководителю', when: { field: 'source', op: 'eq', value: 'partner' }, target: { kind: 'person', managerId: 'mgr-40' } },
    { id: 'cold-base', name: 'Купленная база — в пул', when: { field: 'source', op: 'eq', value: 'purchased-base' }, target: { kind: 'pool' } },
    {
      id: 'enterprise',
      name: 'Крупные сделки',
      when: { any: [{ field: 'dealValue', op: 'gte', value: 1_000_000 }, { field: 'companySize', op: 'gte', value: 500 }] },
      target: { kind: 'group', teams: ['team-enterprise'], strategy: 'performance', match: ['industry'] },
      onNoCandidate: 'next_rule',
    },
    { id: 'english', name: 'Англоязычные клиенты', when: { field: 'language', op: 'eq', value: 'en' }, target: { kind: 'group', strategy: 'least_loaded', match: ['language'] } },
    {
      id: 'hot-web',
      name: 'Горячие с сайта',
      when: { all: [{ field: 'source', op: 'in', value: ['website', 'yandex-direct'] }, { field: 'score', op: 'gte', value: 80 }] },
      target: { kind: 'group', teams: ['team-moscow', 'team-spb'], strategy: 'performance', requiredSkills: ['crm'], performance: { floor: 0.4 } },
    },
    { id: 'moscow', name: 'Москва и область', when: { field: 'region', op: 'in', value: TEAMS[0]?.regions ?? [] }, target: { kind: 'group', teams: ['team-moscow'], strategy: 'weighted' } },
    { id: 'north-west', name: 'Северо-Запад', when: { field: 'region', op: 'in', value: TEAMS[1]?.regions ?? [] }, target: { kind: 'group', teams: ['team-spb'], strategy: 'round_robin' } },
    { id: 'siberia-urals', name: 'Сибирь и Урал', when: { field: 'region', op: 'in', value: TEAMS[2]?.regions ?? [] }, target: { kind: 'group', teams: ['team-siberia'], strategy: 'weighted', match: ['region'] } },
    { id: 'far-east', name: 'Дальний Восток', when: { field: 'region', op: 'in', value: TEAMS[3]?.regions ?? [] }, target: { kind: 'group', teams: ['team-far-east'], strategy: 'round_robin' } },
    { id: 'everyone-else', name: 'Остальные — по загрузке', target: { kind: 'group', teams: ['team-moscow', 'team-spb'], strategy: 'least_loaded', requiredSkills: ['crm'] } },
  ],
  fallback: { kind: 'pool' },
};

/** The draft: big deals from 500,000 instead of 1,000,000, and Moscow by performance with per-member weights. */
const DRAFT = {
  ...PUBLISHED,
  rules: PUBLISHED.rules.map((rule) => {
    if (rule.id === 'enterprise') return { ...rule, when: { any: [{ field: 'dealValue', op: 'gte', value: 500_000 }, { field: 'companySize', op: 'gte', value: 500 }] } };
    if (rule.id === 'moscow') return { ...rule, target: { kind: 'group', teams: ['team-moscow'], strategy: 'performance', weights: { 'mgr-00': 2, 'mgr-03': 0.5 }, performance: { floor: 0.6, priorStrength: 30 } } };
    return rule;
  }),
};

/** A stored lead as intake would have left it: most arrive in Moscow working hours on weekdays. */
function buildLead(random: () => number, n: number, from: number, days: number, managers: NewManager[]): LeadRecord {
  // Midnight UTC of a day of the period (the last day only up to now).
  const day = Math.floor(random() * days);
  const midnight = Math.ceil(from / 86_400_000) * 86_400_000 + day * 86_400_000;
  const weekend = new Date(midnight).getUTCDay() % 6 === 0;
  const hourUtc = weekend && random() < 0.7 ? Math.floor(random() * 24) : 5 + Math.floor(random() * 11);
  const createdAt = new Date(Math.min(midnight + hourUtc * 3_600_000 + Math.floor(random() * 3_600_000), NOW.getTime() - 1)).toISOString();
  const region = random() < 0.04 ? null : pickOne(random, REGIONS);
  const source = pickOne(random, SOURCES);
  const company = random() < 0.7 ? `ООО «${pickOne(random, COMPANIES)}» ${n % 997}` : null;
  const dealValue = random() < 0.15 ? null : Math.round((20_000 + random() ** 5 * 2_500_000) / 1000) * 1000;
  const owner = pickOne(random, managers);
  const status = random() < 0.12 ? 'converted' : random() < 0.1 ? 'junk' : random() < 0.5 ? 'in_progress' : 'new';
  const knownOwner = random() < 0.06 ? pickOne(random, managers).id : null;
  const phone = `+7916${String(1_000_000 + ((n * 7919) % 9_000_000)).slice(0, 7)}`;
  const email = random() < 0.6 ? `client${n}@example${n % 50}.ru` : null;
  return {
    id: `lead-${String(n).padStart(7, '0')}`,
    status,
    ownerId: owner.id,
    name: `${pickOne(random, FIRST)} ${pickOne(random, LAST)}`,
    phone,
    phoneRaw: phone,
    email,
    companyName: company,
    companyNameKey: company ? company.toLowerCase() : null,
    taxId: null,
    domain: email ? email.slice(email.indexOf('@') + 1) : null,
    website: null,
    source,
    channel: source === 'call' ? 'phone' : source === 'email' ? 'email' : 'web',
    campaign: source === 'yandex-direct' ? pickOne(random, ['brand', 'crm-search', 'retarget']) : null,
    utm: source === 'yandex-direct' ? { source: 'yandex', medium: 'cpc', campaign: 'crm-search' } : null,
    region,
    country: 'RU',
    industry: random() < 0.2 ? null : pickOne(random, INDUSTRIES),
    companySize: company ? Math.round(5 + random() ** 6 * 2000) : null,
    productInterest: PRODUCTS.filter(() => random() < 0.35),
    dealValue,
    language: random() < 0.05 ? 'en' : 'ru',
    score: random() < 0.5 ? Math.floor(random() * 100) : null,
    priority: random() < 0.1 ? 'high' : null,
    comment: random() < 0.3 ? 'Перезвонить после обеда, интересует интеграция с 1С' : null,
    custom: random() < 0.3 ? { segment: pickOne(random, ['smb', 'mid', 'large']) } : {},
    contactId: null,
    companyId: null,
    duplicateOf: null,
    match: knownOwner ? { ownerId: knownOwner, ownerVia: 'contact' } : null,
    problems: [],
    apiKeyId: null,
    idempotencyKey: null,
    idempotencyIndex: null,
    requestHash: null,
    originatorId: null,
    assignedAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    work: { ...NEW_LEAD_WORK, closedAt: status === 'converted' || status === 'junk' ? createdAt : null },
  };
}

interface DatabaseFigures {
  kind: DatabaseKind;
  seconds: number;
  runs: number[];
  leadsPerSec: number;
  peakRssMiB: number;
  loadSeconds: number;
  changed: number;
}

export default async function ruleCompare(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: 'string', default: '100000' },
      days: { type: 'string', default: '90' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  if (values.only === 'sqlite' || values.only === 'postgres') {
    const figures = await benchOne(values.only, { leads: Number(values.leads), days: Number(values.days), runs: Number(values.runs), cpuProf: values['cpu-prof'], keep: values.keep });
    console.log(JSON.stringify(figures));
    return;
  }
  const results: Partial<Record<DatabaseKind, DatabaseFigures>> = {};
  for (const kind of ['sqlite', 'postgres'] as const) {
    console.log(`— ${kind} (own process)`);
    results[kind] = await runChild(kind, args);
  }
  console.log('');
  console.log(`POST /api/v1/routing/compare, ${Number(values.leads).toLocaleString('en')} stored leads over ${values.days} days, published vs draft (median of ${values.runs} runs):`);
  for (const r of Object.values(results)) {
    console.log(`  ${r.kind.padEnd(8)} ${r.seconds.toFixed(2)} s  (${r.runs.map((s) => s.toFixed(2)).join(' / ')} s)  ${r.leadsPerSec.toLocaleString('en')} leads/s  peak RSS ${r.peakRssMiB} MiB  ${r.changed} leads change owner; loading took ${r.loadSeconds.toFixed(1)} s`);
  }
  const headline = Object.fromEntries(Object.values(results).map((r) => [r.kind, { seconds: r.seconds, leadsPerSec: r.leadsPerSec, peakRssMiB: r.peakRssMiB }]));
  console.log(JSON.stringify({ ...headline, leads: Number(values.leads) }));
}

/** Runs this benchmark for one database in a child process (same Node flags), echoing its output. */
async function runChild(kind: DatabaseKind, args: string[]): Promise<DatabaseFigures> {
  const runScript = fileURLToPath(new URL('./run.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', runScript, 'rule-compare', ...args, '--only', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{')) last = line;
      else console.log(`  ${line}`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (buffered.startsWith('{')) last = buffered;
  if (code !== 0 || !last) throw new Error(`the ${kind} run failed (exit ${code})`);
  return JSON.parse(last) as DatabaseFigures;
}

async function benchOne(kind: DatabaseKind, options: { leads: number; days: number; runs: number; cpuProf: boolean; keep: boolean }): Promise<DatabaseFigures> {
  const db = await prepareBenchDatabase({ embeddedPostgres: kind === 'postgres', databaseUrl: undefined, keep: options.keep });
  console.log(db.description);
  const store = db.open();
  try {
    const { error } = await migrateToLatest(store);
    if (error) throw error;
    const ctx = createAppContext(store, { defaultCountry: 'RU', intakeMaxBatch: 500 }, { now: () => NOW });

    const loadStarted = performance.now();
    const at = new Date(NOW.getTime() - 120 * 86_400_000).toISOString();
    for (const team of TEAMS) await insertTeam(store.db, { id: team.id, name: team.name, timeZone: team.zone }, at);
    const managers = buildManagers();
    await insertManagers(store.db, managers, at);
    await publishDefinition({ ...ctx, now: () => new Date(at) }, PUBLISHED, 'bench', 'published');
    const draft = await createDraft(ctx, { definition: DRAFT, comment: 'draft', author: 'bench' });
    if (!draft.validation.ok) throw new Error(`the draft is invalid: ${JSON.stringify(draft.validation.issues)}`);
    const from = NOW.getTime() - options.days * 86_400_000;
    const random = seededRandom(42);
    await store.db.transaction().execute(async (trx) => {
      const batch = 5000;
      for (let start = 0; start < options.leads; start += batch) {
        const records = Array.from({ length: Math.min(batch, options.leads - start) }, (_, i) => buildLead(random, start + i, from, options.days, managers));
        await insertLeads(trx, records);
      }
    });
    await recountOpenLeads(store.db);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(`loaded ${options.leads.toLocaleString('en')} leads, 50 managers, rule sets v1 (published) and v${draft.ruleSet.version} (draft) in ${loadSeconds.toFixed(1)} s`);

    const { app } = await buildApp({ ctx });
    const { plaintext: key } = await createApiKey(ctx, { name: 'bench', scopes: ['admin'] });
    const body = { period: { from: new Date(from).toISOString(), to: NOW.toISOString() }, candidate: { version: draft.ruleSet.version } };
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const peakBeforeMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    let answerHash = '';
    let comparison: RuleSetComparison | undefined;
    let profiler: Session | undefined;
    for (let run = 0; run < options.runs; run++) {
      // Each run starts from a collected heap, so the peak RSS is one request's (with --expose-gc, as the parent starts the child).
      global.gc?.();
      const profileThis = options.cpuProf && run === options.runs - 1;
      if (profileThis) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
      }
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/v1/routing/compare', headers: { 'x-api-key': key }, payload: body });
      if (res.statusCode !== 200) throw new Error(`compare answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
      comparison = res.json<RuleSetComparison>();
      answerHash = createHash('sha256').update(res.body).digest('hex').slice(0, 16);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      runs.push(seconds);
      cpuRuns.push((cpu.user + cpu.system) / 1e6);
      console.log(`run ${run + 1}: ${seconds.toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), ${(res.body.length / 1024).toFixed(0)} KiB answer`);
      if (profileThis && profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        const file = join(tempDir('leadrouter-cpu-prof-'), `rule-compare-${kind}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        profiler.disconnect();
        console.log(`CPU profile of run ${run + 1}: ${file}`);
        console.log(summariseCpuProfileFile(file, 20));
      }
    }
    await app.close();
    // The read alone, as the use case does it (one query, the columns a replay needs).
    global.gc?.();
    const readCpu = process.cpuUsage();
    const readStarted = performance.now();
    const read = await listLeadsForReplay(store.db, body.period, 100_001, (lead) => lead.id);
    const readSeconds = (performance.now() - readStarted) / 1000;
    const readCpuUsed = process.cpuUsage(readCpu);
    const readCpuSeconds = (readCpuUsed.user + readCpuUsed.system) / 1e6;
    console.log(`reading the ${read.length.toLocaleString('en')} leads alone: ${readSeconds.toFixed(2)} s (CPU ${readCpuSeconds.toFixed(2)} s)`);
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    if (!comparison) throw new Error('no run');
    const c = comparison;
    console.log(`${c.leads.toLocaleString('en')} leads replayed${c.truncated ? ' (truncated)' : ''}: published assigns ${c.baseline.assigned}, pools ${c.baseline.pool}; draft assigns ${c.candidate.assigned}, pools ${c.candidate.pool}; ${c.changed.count} change owner; answer sha256 ${answerHash}`);
    console.log(`  rules (published): ${JSON.stringify(c.baseline.byRule)}`);
    console.log(`  rules (draft):     ${JSON.stringify(c.candidate.byRule)}`);
    console.log(`  fallbacks (published): ${JSON.stringify(c.baseline.fallback.reasons)}; by way: ${JSON.stringify(c.baseline.byVia)}`);
    console.log(c.baseline.fallback.examples.slice(0, 5).map((e) => e.summary).join("\n"));
    console.log(`  RSS before the first run ${Math.round(rssBefore / 1024 / 1024)} MiB (peak while loading ${peakBeforeMiB} MiB), peak of the process ${peakRssMiB} MiB`);
    const sorted = [...runs].sort((a, b) => a - b);
    const seconds = sorted[Math.floor(sorted.length / 2)] ?? 0;
    return { kind, seconds: Math.round(seconds * 100) / 100, runs: runs.map((s) => Math.round(s * 100) / 100), leadsPerSec: Math.round(c.leads / seconds), peakRssMiB, loadSeconds, changed: c.changed.count };
  } finally {
    await store.close();
    await db.dispose();
  }
}
