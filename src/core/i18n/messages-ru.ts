import { countOf, plural } from './format.js';

/**
 * Every sentence the server writes for a person, in Russian: decision summaries (see
 * decision-text.ts) and notifications (notification-text.ts). messages-en.ts has the same
 * keys; test/core/i18n-messages.test.ts fails when either lacks one. Names of people are never
 * declined or given a gender here: the sentences are built so a name stands in the nominative.
 */
export const ru = {
  locale: 'ru',
  quote: (text: string) => `«${text}»`,
  decision: {
    via: { contact: 'по контакту', company: 'по компании', parent_company: 'по головной компании', open_lead: 'по открытому лиду' } as Record<string, string>,
    linked: (via: string) => `повторный клиент (связан ${via})`,
    ownerGone: (linked: string) => `${linked}, но его владелец больше не менеджер, поэтому решали правила`,
    ownerAssigned: (linked: string, owner: string) => `${linked}: лид передан владельцу — ${owner}`,
    ownerWait: (linked: string, owner: string, why: string) => `${linked}: лид остаётся за владельцем — ${owner} (${why}), правила ждут владельца`,
    ownerPool: (linked: string, owner: string, why: string) => `${linked}: владелец — ${owner} (${why}), поэтому лид ушёл в пул`,
    ownerNextRule: (linked: string, owner: string, why: string) => `${linked}, но владелец — ${owner} (${why}), поэтому решали правила`,
    missed: (rule: string, memberCount: number, reasons: string) =>
      `правило «${rule}» сработало, но ${memberCount === 1 ? 'его единственный менеджер' : `ни один из ${memberCount} ${plural('ru', memberCount, { one: 'менеджера', other: 'менеджеров' })}`} не мог взять лид${reasons === '' ? '' : ` (${reasons})`}`,
    group: (rule: string, tier: string, who: string, winner: string) => `правило «${rule}» сработало; ${tier}${who}; ${winner}`,
    allCould: (count: number) =>
      count === 1 ? 'взять лид мог его единственный менеджер' : `взять лид могли все ${countOf('ru', count, { one: 'менеджер', few: 'менеджера', many: 'менеджеров', other: 'менеджера' })}`,
    someCould: (candidates: number, members: number, reasons: string) =>
      `из ${members} ${plural('ru', members, { one: 'менеджера', other: 'менеджеров' })} ${plural('ru', candidates, { one: 'мог', other: 'могли' })} взять ${candidates}${reasons === '' ? '' : ` (${reasons})`}`,
    tierName: { high: 'высокий', normal: 'обычный', low: 'низкий' } as Record<string, string>,
    tierCouldNot: (tier: number, name: string | null, reasons: string) =>
      `уровень ${tier}${name === null ? '' : ` (${name} приоритет)`} не мог взять лид${reasons === '' ? '' : ` (${reasons})`}; `,
    tierIn: (tier: number, name: string | null) => `на уровне ${tier}${name === null ? '' : ` (${name} приоритет)`} `,
    onlyOne: (winner: string) => `лид получает ${winner}: больше никто не мог его взять`,
    lightest: (winner: string, open: number, max: number | null) =>
      `лид получает ${winner} — самая низкая загрузка (${max === null ? countOf('ru', open, { one: 'открытый лид', few: 'открытых лида', many: 'открытых лидов', other: 'открытых лида' }) : `открытых лидов: ${open} из ${max}`})`,
    strategy: { round_robin: 'по очереди', weighted: 'по взвешенной очереди', performance: 'по очереди с учётом результатов', least_loaded: 'по загрузке' } as Record<string, string>,
    next: (winner: string, strategy: string, notes: string) => `${strategy} лид получает ${winner} (${notes})`,
    share: (percent: string) => `доля ${percent}`,
    period: (leadNumber: number, period: string, timeZone: string) => `${leadNumber === 1 ? 'первый' : `${leadNumber}-й`} лид за ${period} (${timeZone})`,
    day: (date: string) => date,
    week: (week: number, year: number) => `${week}-ю неделю ${year} года`,
    month: (month: string) => month,
    tie: (others: number) => `наравне с ещё ${others} ${plural('ru', others, { one: 'менеджером', other: 'менеджерами' })}, поэтому — тот, кто дольше не получал лидов`,
    person: (rule: string, manager: string) => `правило «${rule}» сработало; лид распределяет вручную ${manager}`,
    rulePool: (rule: string) => `правило «${rule}» сработало; оно отправляет лиды в пул`,
    registered: (manager: string) => `лид зарегистрирован менеджером (${manager}) и остаётся за ним как за владельцем`,
    toDefaultManager: (manager: string) => `к менеджеру по умолчанию (${manager})`,
    toPoolNoDefault: 'в пул (менеджера по умолчанию больше нет)',
    toPool: 'в пул',
    noRuleMatched: (to: string) => `ни одно правило не подошло, поэтому лид ушёл ${to}`,
    ruleRequested: (to: string) => `поэтому правило отправило лид по запасному варианту — ${to}`,
    noLaterRule: (to: string) => `ни одно из следующих правил не смогло распределить лид, поэтому он ушёл ${to}`,
    noRule: (to: string) => `ни одно правило не смогло распределить лид, поэтому он ушёл ${to}`,
  },
  /** Why a manager was left out, short, in parentheses after a name. */
  exclusion: {
    paused: () => 'на паузе',
    absent: (until: string) => `отсутствует до ${until}`,
    off_hours: (localTime: string, timeZone: string) => `вне рабочего времени: ${localTime}, ${timeZone}`,
    open_cap: (open: number, max: number) => `на лимите открытых лидов (${open} из ${max})`,
    daily_cap: (today: number, max: number) => `на дневном лимите (${today} из ${max})`,
    missing_skill: (skill: string) => `нет навыка «${skill}»`,
    profile_mismatch: (attribute: string, value: string) =>
      `не работает с ${({ region: 'регионом', language: 'языком', industry: 'отраслью', skill: 'навыком' } as Record<string, string>)[attribute] ?? `полем ${attribute}:`} «${value}»`,
    dropped_before: () => 'этот лид у него уже был',
    unknown_manager: () => 'больше не менеджер',
  },
  /** How many were left out for one reason: «2 вне рабочего времени». */
  counted: {
    dropped_before: (n: number) => `у ${n} лид уже был`,
    paused: (n: number) => `${n} на паузе`,
    absent: (n: number) => `${n} ${plural('ru', n, { one: 'отсутствует', other: 'отсутствуют' })}`,
    off_hours: (n: number) => `${n} вне рабочего времени`,
    open_cap: (n: number) => `${n} на лимите открытых лидов`,
    daily_cap: (n: number) => `${n} на дневном лимите`,
    missing_skill: (n: number) => `${n} без нужного навыка`,
    profile_mismatch: (n: number) => `${n} не ${plural('ru', n, { one: 'подходит', other: 'подходят' })} по профилю лида`,
    unknown_manager: (n: number) => `${n} уже не ${plural('ru', n, { one: 'менеджер', other: 'менеджеры' })}`,
  },
  notification: {
    newLead: (lead: string, source: string | null) => `Новый лид: ${lead} (${source ?? 'источник не указан'})`,
    newLeadPool: (lead: string) => `Новый лид ушёл в пул: ${lead}`,
    newLeadQualification: (lead: string) => `Новый лид ждёт квалификации: ${lead}`,
    leadOffered: (lead: string) => `В пуле лид ${lead}: возьмите его`,
    leadYours: (lead: string, via: string) => `Лид ${lead} теперь ваш (${via})`,
    leadToPool: (lead: string, via: string) => `Лид ${lead} ушёл в пул (${via})`,
    via: {
      transfer: 'передача', claim: 'взят из пула', reassign: 'переназначил руководитель', sla: 'переназначен по SLA', escalation: 'эскалация по SLA', release: 'возвращён в пул', qualification: 'после квалификации',
    } as Record<string, string>,
    clock: { first_contact: 'первый контакт', next_step: 'следующий шаг' } as Record<string, string>,
    slaWarning: (lead: string, clock: string, minutes: number) =>
      `Лид ${lead}: до срока «${clock}» ${plural('ru', minutes, { one: 'осталась', other: 'осталось' })} ${countOf('ru', minutes, { one: 'минута', few: 'минуты', many: 'минут', other: 'минуты' })}`,
    slaBreached: (lead: string, clock: string) => `Лид ${lead}: срок «${clock}» пропущен`,
    converted: (lead: string) => `Лид ${lead} стал сделкой`,
    junk: (lead: string, reason: string | null) => `Лид ${lead} отмечен как мусор${reason === null ? '' : ` (${reason})`}`,
    transferRequested: (lead: string, reason: string) => `Просят передать лид ${lead}: ${reason}`,
    transferRejected: (comment: string) => `Передачу не одобрили: ${comment}`,
  },
  email: { event: 'Событие', lead: 'Лид' },
};

export type Messages = typeof ru;
