import { describe, expect, it } from 'vitest';
import { createRoutingSession } from '../../src/core/routing/create-routing-session.js';
import { decisionText, exclusionText } from '../../src/core/i18n/decision-text.js';
import { countOf, dateTime, percent } from '../../src/core/i18n/format.js';
import { localeFromAcceptLanguage, localeOf } from '../../src/core/i18n/locale.js';
import { en } from '../../src/core/i18n/messages-en.js';
import { ru } from '../../src/core/i18n/messages-ru.js';
import { notificationText } from '../../src/core/i18n/notification-text.js';
import type { SummaryFacts } from '../../src/core/routing/trace.js';
import { MONDAY_NOON_MSK, OFFICE_HOURS, group, lead, manager, rule, ruleSet, teamId } from './routing-fixtures.js';

/** Every key path of a catalogue, with the number of parameters of each sentence. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}(${value.length})`];
  if (typeof value === 'string') return [path];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, path === '' ? k : `${path}.${k}`));
}

describe('server message catalogues', () => {
  it('have the same keys, with the same parameters, in Russian and English', () => {
    const inRussian = shape(ru).sort();
    const inEnglish = shape(en).sort();
    expect(inRussian.filter((k) => !inEnglish.includes(k))).toEqual([]);
    expect(inEnglish.filter((k) => !inRussian.includes(k))).toEqual([]);
  });

  it('agree Russian words with numbers through Intl.PluralRules (1, 2–4, 5–20, 21, 11–14)', () => {
    const leads = { one: 'лид', few: 'лида', many: 'лидов', other: 'лида' };
    expect([1, 2, 5, 11, 14, 21, 22, 25, 101, 111].map((n) => countOf('ru', n, leads))).toEqual([
      '1 лид', '2 лида', '5 лидов', '11 лидов', '14 лидов', '21 лид', '22 лида', '25 лидов', '101 лид', '111 лидов',
    ]);
    expect(ru.counted.absent(1)).toBe('1 отсутствует');
    expect(ru.counted.absent(3)).toBe('3 отсутствуют');
    expect(ru.decision.someCould(1, 21, '')).toBe('из 21 менеджера мог взять 1');
    expect(ru.decision.someCould(3, 5, '2 вне рабочего времени')).toBe('из 5 менеджеров могли взять 3 (2 вне рабочего времени)');
    expect(ru.decision.allCould(2)).toBe('взять лид могли все 2 менеджера');
    expect(ru.decision.allCould(5)).toBe('взять лид могли все 5 менеджеров');
    expect(ru.decision.tie(1)).toContain('наравне с ещё 1 менеджером');
    expect(ru.decision.tie(3)).toContain('наравне с ещё 3 менеджерами');
    expect(notificationText({ key: 'slaWarning', lead: 'Иван Петров', clock: 'first_contact', minutes: 1 }, 'ru')).toBe('Лид Иван Петров: до срока «первый контакт» осталась 1 минута');
    expect(notificationText({ key: 'slaWarning', lead: 'Иван Петров', clock: 'first_contact', minutes: 3 }, 'ru')).toBe('Лид Иван Петров: до срока «первый контакт» осталось 3 минуты');
    expect(notificationText({ key: 'slaWarning', lead: 'Иван Петров', clock: 'next_step', minutes: 12 }, 'ru')).toBe('Лид Иван Петров: до срока «следующий шаг» осталось 12 минут');
    expect(notificationText({ key: 'slaWarning', lead: 'Ivan', clock: 'next_step', minutes: 1 }, 'en')).toBe('Lead Ivan: next step is due in 1 minute');
  });

  it('write numbers, dates and times the reader’s way', () => {
    expect(percent('ru', 0.005)).toBe('0,5%');
    expect(percent('en', 0.005)).toBe('0.5%');
    expect(exclusionText({ kind: 'absent', until: '2026-12-14' }, 'ru')).toBe('отсутствует до 14.12.2026');
    expect(exclusionText({ kind: 'absent', until: '2026-12-14' }, 'en')).toBe('away until 2026-12-14');
    expect(dateTime('ru', '2026-12-07T16:40:00Z', 'Asia/Vladivostok')).toBe('08.12.2026, 02:40');
  });

  it('tell a decision in natural Russian, and in English exactly as the trace’s summary', () => {
    const facts: SummaryFacts = {
      result: { kind: 'group', ruleName: 'Москва', memberCount: 5, candidateCount: 3, excluded: { off_hours: 2 }, tiedWith: 0, winnerName: 'Анна Петрова', strategy: 'weighted', share: 0.4, open: 3, maxOpen: null },
    };
    expect(decisionText(facts, 'ru')).toBe('Правило «Москва» сработало; из 5 менеджеров могли взять 3 (2 вне рабочего времени); по взвешенной очереди лид получает Анна Петрова (доля 40%).');
    expect(decisionText(facts, 'en')).toBe('Rule "Москва" matched; 3 of 5 managers could take it (2 off hours); Анна Петрова was next by weighted round robin (share 40%).');
    const tiered: SummaryFacts = {
      missed: [{ ruleName: 'VIP', memberCount: 2, excluded: { absent: 1, daily_cap: 1 } }],
      result: {
        kind: 'group', ruleName: 'Входящие', memberCount: 4, candidateCount: 4, excluded: {}, tier: { tier: 2, name: 'normal', above: [{ tier: 1, excluded: { off_hours: 2 } }] },
        period: { period: 'month', key: '2026-12', timeZone: 'Europe/Moscow', assignedBefore: 2 }, tiedWith: 1, winnerName: 'Иван Кузнецов', strategy: 'round_robin', share: 0.25, open: 1, maxOpen: 10,
      },
    };
    expect(decisionText(tiered, 'ru')).toBe(
      'Правило «VIP» сработало, но ни один из 2 менеджеров не мог взять лид (1 отсутствует, 1 на дневном лимите); правило «Входящие» сработало; ' +
        'уровень 1 (высокий приоритет) не мог взять лид (2 вне рабочего времени); на уровне 2 (обычный приоритет) взять лид могли все 4 менеджера; ' +
        'по очереди лид получает Иван Кузнецов (доля 25%; 3-й лид за декабрь 2026 (Europe/Moscow); наравне с ещё 1 менеджером, поэтому — тот, кто дольше не получал лидов).',
    );
    const owner: SummaryFacts = { ownership: { ownerName: 'Вера Ким', via: 'company', outcome: 'owner_unavailable_wait', reason: { kind: 'off_hours', localTime: '19:40', timeZone: 'Asia/Vladivostok' } }, result: { kind: 'owner' } };
    expect(decisionText(owner, 'ru')).toBe('Повторный клиент (связан по компании): лид остаётся за владельцем — Вера Ким (вне рабочего времени: 19:40, Asia/Vladivostok), правила ждут владельца.');
    const fallback: SummaryFacts = { result: { kind: 'fallback', reason: 'no_rule_matched', managerName: null, managerMissing: false } };
    expect(decisionText(fallback, 'ru')).toBe('Ни одно правило не подошло, поэтому лид ушёл в пул.');
  });

  it('the routing engine keeps the facts, and its English summary is the English catalogue’s sentence', () => {
    const managers = [
      manager('anna', { name: 'Анна Петрова', teamId: teamId('msk'), weight: 2, workingHours: OFFICE_HOURS }),
      manager('vera', { name: 'Вера Ким', teamId: teamId('msk'), timeZone: 'Asia/Vladivostok', workingHours: OFFICE_HOURS }),
      manager('gleb', { name: 'Глеб Соколов', teamId: teamId('msk'), paused: true }),
    ];
    const session = createRoutingSession({ ruleSet: ruleSet([rule('msk', group('weighted', { teams: [teamId('msk')] }), { name: 'Москва' })]), ruleSetVersion: 1, managers, states: [] });
    const decision = session.route({ lead: lead({}), at: MONDAY_NOON_MSK });
    const facts = decision.trace.facts as SummaryFacts;
    expect(decisionText(facts, 'en')).toBe(decision.trace.summary);
    expect(decisionText(facts, 'ru')).toBe('Правило «Москва» сработало; из 3 менеджеров мог взять 1 (1 на паузе, 1 вне рабочего времени); лид получает Анна Петрова: больше никто не мог его взять.');
  });

  it('take the reader’s language from the stored choice or Accept-Language, Russian by default', () => {
    expect(localeOf(null)).toBe('ru');
    expect(localeOf('en')).toBe('en');
    expect(localeFromAcceptLanguage(undefined)).toBe('ru');
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('de-DE, en;q=0.5, ru;q=0.8')).toBe('ru');
    expect(localeFromAcceptLanguage('fr, de')).toBe('ru');
  });
});
