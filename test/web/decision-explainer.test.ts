import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Exclusion } from '../../src/core/routing/trace.js';
import type { Decision } from '../../web/src/api/types.js';
import { explainDecision, explainExclusion, explainWinner, strategyLabel } from '../../web/src/features/leads/decision-explainer.js';
import { en, ru } from '../../web/src/i18n/all.js';

const EVERY_EXCLUSION: Exclusion[] = [
  { kind: 'paused' },
  { kind: 'absent', until: '2026-12-14' },
  { kind: 'off_hours', timeZone: 'Asia/Vladivostok', localTime: '19:40' },
  { kind: 'open_cap', open: 60, max: 60 },
  { kind: 'daily_cap', today: 12, max: 12 },
  { kind: 'missing_skill', skill: 'leasing' },
  { kind: 'profile_mismatch', attribute: 'region', value: 'Москва' },
  { kind: 'dropped_before' },
  { kind: 'unknown_manager' },
];

const NAMES: Record<string, string> = { anna: 'Анна Петрова', boris: 'Борис Иванов', vera: 'Вера Смирнова' };
const names = (id: string) => NAMES[id] ?? id;

function decision(trace: Record<string, unknown>, fields: Partial<Decision> = {}): Decision {
  return {
    outcome: 'assigned', via: 'rule', ruleId: 'moscow', strategy: 'weighted', ruleSetVersion: 7, decidedAt: '2026-12-03T10:00:00.000Z',
    trace: { ruleSetVersion: 7, at: '2026-12-03T10:00:00.000Z', steps: [], summary: '', ...trace } as unknown as Record<string, unknown>,
    summaryText: null,
    ...fields,
  };
}

let tRu: TFunction;
let tEn: TFunction;

beforeAll(async () => {
  const make = async (lng: 'ru' | 'en') => {
    const instance = i18next.createInstance();
    await instance.init({ lng, resources: { ru: { translation: ru }, en: { translation: en } }, interpolation: { escapeValue: false } });
    return instance.t;
  };
  tRu = await make('ru');
  tEn = await make('en');
});

/** A sentence that still shows a catalogue key or a placeholder was not rendered. */
const rendered = (text: string) => !/decision\.|\{\{/.test(text) && text.trim().length > 0;

describe('the decision trace told to a person', () => {
  it.each(EVERY_EXCLUSION.map((e) => [e.kind, e] as const))('explains the exclusion %s in Russian and English with its figures', (_kind, exclusion) => {
    const inRussian = explainExclusion(tRu, exclusion);
    const inEnglish = explainExclusion(tEn, exclusion);
    expect(rendered(inRussian), inRussian).toBe(true);
    expect(rendered(inEnglish), inEnglish).toBe(true);
    expect(inRussian).not.toEqual(inEnglish);
    for (const value of Object.values(exclusion).filter((v) => v !== exclusion.kind)) {
      if (exclusion.kind === 'profile_mismatch' && value === 'region') continue;
      expect(inRussian).toContain(String(value));
      expect(inEnglish).toContain(String(value));
    }
  });

  it('names the region in the reader\'s language for a profile mismatch', () => {
    expect(explainExclusion(tRu, { kind: 'profile_mismatch', attribute: 'region', value: 'Москва' })).toBe('не работает с регионом «Москва»');
  });

  it.each([
    ['round_robin', { strategy: 'round_robin', share: 0.25, creditBefore: 0, shares: {} }, '25%'],
    ['weighted', { strategy: 'weighted', share: 0.4, creditBefore: 0.6, shares: {} }, '0.60'],
    ['performance', { strategy: 'performance', share: 0.333, creditBefore: 1.25, shares: {} }, '1.25'],
    ['least_loaded', { strategy: 'least_loaded', loadRatio: 0.1, loads: {} }, '10%'],
  ] as const)('explains why the winner won under %s', (strategy, explanation, figure) => {
    const inRussian = explainWinner(tRu, explanation, strategy);
    expect(rendered(inRussian), inRussian).toBe(true);
    expect(inRussian).toContain(figure);
    expect(rendered(strategyLabel(tRu, strategy))).toBe(true);
    expect(rendered(explainWinner(tEn, explanation, strategy))).toBe(true);
  });

  it.each(['person', 'owner', 'fallback', null] as const)('explains a winner without strategy state (%s)', (strategy) => {
    expect(rendered(explainWinner(tRu, undefined, strategy))).toBe(true);
    expect(rendered(strategyLabel(tRu, strategy))).toBe(true);
  });

  it('tells who won by which rule, who else was considered and why the others were left out', () => {
    const explained = explainDecision(
      tRu,
      decision({
        steps: [
          { ruleId: 'big', ruleName: 'Крупные сделки', matched: false },
          {
            ruleId: 'moscow', ruleName: 'Москва', matched: true, outcome: 'assigned', candidates: ['anna', 'boris'],
            excluded: [{ managerId: 'vera', reason: { kind: 'absent', until: '2026-12-14' } }],
          },
        ],
        winner: { managerId: 'anna', ruleId: 'moscow', explanation: { strategy: 'weighted', share: 0.5, creditBefore: 0.75, shares: { anna: 0.5, boris: 0.5 } } },
      }),
      names,
    );
    expect(explained.headline).toBe('Анна Петрова получил(а) лид по правилу «Москва» (по очереди с весами)');
    expect(explained.winner).toContain('0.75');
    const step = explained.steps[1];
    expect(step?.candidates.map((c) => [c.name, c.won])).toEqual([['Анна Петрова', true], ['Борис Иванов', false]]);
    expect(step?.excluded).toEqual([{ managerId: 'vera', name: 'Вера Смирнова', reason: 'отсутствует до 2026-12-14' }]);
    expect(explained.steps[0]?.outcome).toBe('не совпало');
  });

  it('tells a qualified lead apart from one still waiting for qualification', () => {
    const waiting = explainDecision(tRu, decision({}, { outcome: 'pool', via: 'qualification', strategy: null, ruleId: null }), names);
    expect(waiting.headline).toBe('Лид ждёт квалификации');
    const routed = explainDecision(tRu, decision({ steps: [{ ruleId: 'moscow', ruleName: 'Москва', matched: true, outcome: 'assigned', candidates: ['anna'] }], winner: { managerId: 'anna' } }, { via: 'qualification' }), names);
    expect(routed.headline).toBe('Квалифицирован и назначен: Анна Петрова');
  });

  it('uses Russian plural forms for the caps', () => {
    expect(explainExclusion(tRu, { kind: 'open_cap', open: 1, max: 1 })).toBe('уже 1 открытый лид при лимите 1');
    expect(explainExclusion(tRu, { kind: 'open_cap', open: 3, max: 3 })).toBe('уже 3 открытых лида при лимите 3');
    expect(explainExclusion(tRu, { kind: 'daily_cap', today: 12, max: 12 })).toBe('сегодня уже 12 лидов при дневном лимите 12');
  });

  it('explains ownership, the pool and the fallback', () => {
    const owner = explainDecision(tRu, decision({ ownership: { ownerId: 'boris', via: 'contact', outcome: 'assigned' }, winner: { managerId: 'boris' } }, { via: 'ownership', strategy: 'owner', ruleId: null }), names);
    expect(owner.headline).toContain('Борис Иванов');
    expect(owner.ownership).toBe('Владелец клиента — Борис Иванов');
    const waiting = explainDecision(tRu, decision({ ownership: { ownerId: 'boris', via: 'contact', outcome: 'owner_unavailable_pool', reason: { kind: 'paused' } }, fallback: { reason: 'no_candidate', target: 'pool' } }, { outcome: 'pool', via: 'fallback', strategy: null, ruleId: null }), names);
    expect(waiting.ownership).toContain('поставил(а) приём лидов на паузу');
    expect(waiting.headline).toBe('Ни одно правило не сработало — лид в общем пуле');
    expect(waiting.fallback).toBe('Подходящих менеджеров не нашлось — лид отправлен в общий пул');
    for (const reason of ['no_rule_matched', 'rule_requested'] as const) {
      expect(rendered(explainDecision(tEn, decision({ fallback: { reason, target: 'manager' }, winner: { managerId: 'anna' } }, { via: 'fallback', strategy: 'fallback' }), names).fallback ?? '')).toBe(true);
    }
    for (const outcome of ['owner_unavailable_wait', 'owner_unavailable_next_rule'] as const) {
      expect(rendered(explainDecision(tEn, decision({ ownership: { ownerId: 'anna', via: 'contact', outcome, reason: { kind: 'off_hours', timeZone: 'Europe/Moscow', localTime: '21:00' } } }), names).ownership ?? '')).toBe(true);
    }
  });
});
