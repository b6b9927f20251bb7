/**
 * Realistic single-lead request bodies for the intake benchmark, generated up front so the
 * load generator spends its CPU on sending, not on building JSON.
 *
 * The mix is chosen so that matching and routing do real work against the demo data
 * (`src/app/demo/seed-demo.ts`): regions and sources hit every demo rule (group strategies,
 * pool, person, enterprise, English speakers, the catch-all), phones come in several written
 * forms, about one lead in eight repeats the phone or e-mail of an earlier one (open-lead
 * duplicates and ownership stickiness), some carry the phones of demo contacts or the names and
 * tax id of demo companies (client matches), and half carry a unique Idempotency-Key.
 */

import { pickOne, seededRandom } from '../../src/core/seeded-random.js';

export interface BenchRequest {
  body: string;
  /** A unique key for this run, or null when the request carries none. */
  idempotencyKey: string | null;
}

export interface BodyMix {
  /** Requests repeating the phone or e-mail of an earlier request. */
  repeats: number;
  /** Requests matching a demo contact, company or the demo holding's tax id. */
  knownClients: number;
  withIdempotencyKey: number;
}

const REGIONS = [
  'Москва', 'Москва', 'Москва', 'Московская область', 'Тверская область', 'Санкт-Петербург', 'Санкт-Петербург', 'Ленинградская область',
  'Калининградская область', 'Новосибирская область', 'Томская область', 'Свердловская область', 'Челябинская область', 'Тюменская область',
  'Красноярский край', 'Приморский край', 'Хабаровский край', 'Сахалинская область', 'Амурская область', 'Татарстан', 'Краснодарский край',
  'Ростовская область', 'Нижегородская область',
];
const SOURCES = ['website', 'website', 'website', 'website', 'yandex-direct', 'yandex-direct', 'call', 'call', 'email', 'exhibition', 'telegram', 'partner', 'purchased-base'];
const CHANNELS = ['form', 'form', 'phone', 'chat', 'email'];
const INDUSTRIES = ['ритейл', 'производство', 'IT', 'логистика', 'банки', 'строительство', 'телеком', 'медицина'];
const PRODUCTS = ['crm', 'telephony', 'analytics', 'consulting'];
const FIRST = ['Алексей', 'Мария', 'Игорь', 'Светлана', 'Константин', 'Ольга', 'Роман', 'Юлия', 'Виктор', 'Анастасия', 'Григорий', 'Дарья', 'John', 'Emma'];
const LAST = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Федоров', 'Smith'];
/** The demo companies (seed-demo.ts), so company matching finds them. */
const DEMO_COMPANIES = ['Ромашка', 'Вектор', 'СтройИнвест', 'ТехноЛайн', 'Альфа-Логистик', 'МедСервис', 'Северный Ветер', 'ПромАвтоматика', 'Гранит', 'Орбита', 'Сфера', 'Дельта Трейд'];
const OTHER_COMPANIES = ['Прогресс', 'Энергия', 'Восход', 'Меридиан', 'Импульс', 'Кристалл', 'Атлант', 'Лидер', 'Фортуна', 'Магистраль'];
const COMMENTS = ['Перезвоните после обеда', 'Нужна демонстрация для отдела продаж', 'Интересует интеграция с 1С', 'Сравниваем с конкурентами', 'Срочно, до конца месяца', ''];

const pick = pickOne;

/** The ways people and forms write one Russian mobile number. */
function writePhone(random: () => number, digits: string): string {
  // digits: the 10 digits after +7, e.g. 9161234567
  const style = random();
  if (style < 0.35) return `+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`;
  if (style < 0.6) return `8${digits}`;
  if (style < 0.8) return `+7${digits}`;
  return `8 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`;
}

/**
 * `count` request bodies; `runId` makes the idempotency keys unique per run so that a second
 * run against the same database creates leads instead of replaying the first run's.
 */
export function generateLeadRequests(count: number, runId: string, seed = 20260101): { requests: BenchRequest[]; mix: BodyMix } {
  const random = seededRandom(seed);
  const requests: BenchRequest[] = [];
  const phones: string[] = [];
  const emails: string[] = [];
  const mix: BodyMix = { repeats: 0, knownClients: 0, withIdempotencyKey: 0 };
  for (let i = 0; i < count; i++) {
    const lead: Record<string, unknown> = { name: `${pick(random, FIRST)} ${pick(random, LAST)}` };
    const roll = random();
    let phoneDigits: string;
    let known = false;
    if (roll < 0.1 && phones.length > 0) {
      // A returning person: the phone of a recent lead (open-lead duplicate, owner stickiness).
      phoneDigits = phones[Math.max(0, phones.length - 1 - Math.floor(random() * 3000))] as string;
      mix.repeats++;
    } else if (roll < 0.13) {
      // A demo contact's phone (seed-demo.ts: +7916555100x): a known client with an owner.
      phoneDigits = `916555${1000 + Math.floor(random() * 6)}`;
      known = true;
    } else {
      phoneDigits = `9${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    }
    phones.push(phoneDigits);
    if (random() < 0.9) lead.phone = writePhone(random, phoneDigits);

    const companyRoll = random();
    if (companyRoll < 0.12) {
      const c = Math.floor(random() * DEMO_COMPANIES.length);
      lead.companyName = random() < 0.5 ? `ООО «${DEMO_COMPANIES[c]}»` : `${DEMO_COMPANIES[c]} ООО`;
      if (random() < 0.5) lead.website = `https://www.${c}-demo-client.ru/`;
      known = true;
    } else if (companyRoll < 0.14) {
      lead.companyName = 'ГК «Северсталь-Демо»';
      lead.taxId = '7707083893';
      known = true;
    } else if (companyRoll < 0.35) {
      lead.companyName = `ООО «${pick(random, OTHER_COMPANIES)} ${Math.floor(random() * 500)}»`;
    }
    if (known) mix.knownClients++;

    const emailRoll = random();
    if (emailRoll < 0.04 && emails.length > 0) {
      lead.email = emails[Math.max(0, emails.length - 1 - Math.floor(random() * 3000))];
      if (roll >= 0.1) mix.repeats++;
    } else if (emailRoll < 0.6) {
      const email = `Lead.${i}.${Math.floor(random() * 1e6)}@${pick(random, ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'example.com'])}`;
      emails.push(email);
      lead.email = email;
    }

    lead.source = pick(random, SOURCES);
    lead.channel = pick(random, CHANNELS);
    lead.region = pick(random, REGIONS);
    lead.industry = pick(random, INDUSTRIES);
    lead.productInterest = random() < 0.3 ? [pick(random, PRODUCTS), pick(random, PRODUCTS)] : pick(random, PRODUCTS);
    const big = random() < 0.08;
    lead.companySize = big ? 500 + Math.floor(random() * 5000) : 5 + Math.floor(random() * 200);
    lead.dealValue = big ? 1_000_000 + Math.floor(random() * 9_000_000) : 30_000 + Math.floor(random() * 500_000);
    lead.language = random() < 0.06 ? 'en' : 'ru';
    lead.score = Math.floor(random() * 100);
    if (random() < 0.3) lead.utm = { source: 'yandex', medium: 'cpc', campaign: pick(random, ['brand', 'crm-spring', 'retarget']) };
    if (random() < 0.2) lead.priority = pick(random, ['low', 'normal', 'high', 'urgent']);
    const comment = pick(random, COMMENTS);
    if (comment) lead.comment = comment;
    lead.custom = { formId: `f-${Math.floor(random() * 20)}`, page: '/pricing', benchSeq: i };

    const idempotencyKey = random() < 0.5 ? `bench-${runId}-${i}` : null;
    if (idempotencyKey) mix.withIdempotencyKey++;
    requests.push({ body: JSON.stringify(lead), idempotencyKey });
  }
  return { requests, mix };
}
