import { describe, expect, it } from 'vitest';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';
import { changeStrategy, withFairnessPeriod, withPriority, withWeight } from '../../web/src/features/rules/rule-edits.js';
import { formatDefinitionJson, type GroupTarget, type RuleSetDefinition } from '../../web/src/features/rules/rule-model.js';
import { rules } from '../../web/src/i18n/console/rules.js';

const KNOWN = { managerIds: new Set(['anna', 'boris', 'kirill']), teamIds: new Set(['sales']) };
const group: GroupTarget = { kind: 'group', teams: ['sales'], strategy: 'weighted', weights: { anna: 2 } };
const definition = (target: GroupTarget): RuleSetDefinition => ({
  ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
  rules: [{ id: 'inbound', name: 'Входящие', target }],
  fallback: { kind: 'pool' },
});

describe('the rule editor: priorities and fairness periods', () => {
  it('writes priorities and the period where the docs put them, and undoing leaves no empty keys', () => {
    const edited = withFairnessPeriod(withPriority(withPriority(group, 'kirill', 'low'), 'anna', 'high'), 'day');
    expect(Object.keys(edited)).toEqual(['kind', 'teams', 'strategy', 'weights', 'priorities', 'fairnessPeriod']);
    expect(edited.priorities).toEqual({ kirill: 'low', anna: 'high' });
    expect(validateRuleSet(definition(edited), KNOWN).ok).toBe(true);
    const undone = withFairnessPeriod(withPriority(withPriority(edited, 'kirill', undefined), 'anna', undefined), 'none');
    expect(formatDefinitionJson(undone)).toBe(formatDefinitionJson(group));
    // A weight added after the priorities still goes before them.
    expect(Object.keys(withWeight(withPriority(changeStrategy(group, 'round_robin'), 'anna', 1), 'boris', 3))).toEqual(['kind', 'teams', 'strategy', 'weights', 'priorities']);
  });

  it('least loaded drops the period it cannot use; the others keep it', () => {
    const daily = withFairnessPeriod(group, 'week');
    expect(changeStrategy(daily, 'least_loaded')).not.toHaveProperty('fairnessPeriod');
    expect(changeStrategy(daily, 'round_robin')).toHaveProperty('fairnessPeriod', 'week');
    expect(validateRuleSet(definition({ ...changeStrategy(daily, 'least_loaded'), fairnessPeriod: 'week' }), KNOWN)).toMatchObject({ ok: false, issues: [{ code: 'period_without_count' }] });
  });

  it('has every text in Russian and English', () => {
    for (const locale of [rules.ru, rules.en]) {
      expect(Object.keys(locale.priority)).toEqual(['high', 'normal', 'low', 'tier']);
      expect(Object.keys(locale.period)).toEqual(['none', 'day', 'week', 'month']);
      expect(Object.keys(locale.periodHelp)).toEqual(['none', 'day', 'week', 'month']);
      expect(locale.target).toMatchObject({ priorities: expect.any(String), prioritiesHint: expect.any(String), ownPriority: expect.any(String), fairnessPeriod: expect.any(String) });
      expect(locale.issue).toMatchObject({ priority_out_of_range: expect.any(String), period_without_count: expect.any(String) });
    }
  });
});

describe('the rule as one line', () => {
  it('tells the priorities and the reset in Russian, with plurals', async () => {
    const i18next = (await import('i18next')).default;
    const { ru } = await import('../../web/src/i18n/all.js');
    const { describeTarget } = await import('../../web/src/features/rules/describe-rules.js');
    const t = i18next.createInstance();
    await t.init({ lng: 'ru', resources: { ru: { translation: ru } } });
    const names = { manager: (id: string) => id, team: (id: string) => id };
    const text = describeTarget(t.t.bind(t), { kind: 'group', managers: ['anna', 'boris'], strategy: 'round_robin', priorities: { anna: 'high', boris: 'low' }, fairnessPeriod: 'day' }, names as never);
    expect(text).toContain('свой приоритет в правиле у 2 менеджеров');
    expect(text).toContain('очередь заново каждый день');
  });
});
