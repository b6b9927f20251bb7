import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEAD_FIELDS } from '../../src/core/lead-facts.js';
import { formatPath } from '../../src/core/routing/rule-set-issue.js';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';
import { describeCondition, describeTarget } from '../../web/src/features/rules/describe-rules.js';
import { childPath, issueText, issuesAt, issuesWithin } from '../../web/src/features/rules/rule-issues.js';
import {
  ALL_OPERATORS, canShowInBuilder, comparisonOf, duplicateRule, fieldKindOf, formatDefinitionJson, moveItem, operatorsFor, parseDefinitionJson, uniqueRuleId, valueForOperator,
  type Condition, type Operator, type RuleSetDefinition,
} from '../../web/src/features/rules/rule-model.js';
import {
  addComparison, addNestedGroup, changeFallback, changeField, changeOperator, changeStrategy, changeTargetKind, changeValue, negate, setEnabled, setOnNoCandidate, setWhen,
  switchGroupMode, withList, withPerformance, withWeight,
} from '../../web/src/features/rules/rule-edits.js';
import { diffRuleSets } from '../../web/src/features/rules/rule-set-diff.js';
import { en, ru } from '../../web/src/i18n/all.js';

const KNOWN = { managerIds: new Set(['anna', 'ivan', 'm-1']), teamIds: new Set(['sales']) };

/** A rule set using every operator, every kind of node and every target, nested three deep. */
const EVERYTHING: RuleSetDefinition = {
  ownership: { enabled: true, whenOwnerUnavailable: 'wait' },
  rules: [
    {
      id: 'big', name: 'Крупные', when: {
        all: [
          { field: 'dealValue', op: 'gt', value: 1_000_000 },
          { any: [{ field: 'region', op: 'in', value: ['Москва', 'Казань'] }, { not: { field: 'source', op: 'eq', value: 'cold' } }] },
          { not: { all: [{ field: 'score', op: 'between', value: [10, 20] }, { field: 'companySize', op: 'lte', value: 5 }] } },
        ],
      },
      target: { kind: 'group', managers: ['anna'], teams: ['sales'], match: ['region', 'industry'], requiredSkills: ['b2b'], strategy: 'weighted', weights: { anna: 2, 'm-1': 0.5 } },
      onNoCandidate: 'fallback',
    },
    { id: 'perf', name: 'Perf', enabled: false, when: { any: [{ field: 'email', op: 'contains', value: '@corp' }, { field: 'phone', op: 'exists' }, { field: 'taxId', op: 'exists', value: false }] }, target: { kind: 'group', strategy: 'performance', performance: { floor: 0.5, priorStrength: 20 } } },
    { id: 'lists', name: 'Lists', when: { all: [{ field: 'productInterest', op: 'not_in', value: ['crm'] }, { field: 'custom.segment', op: 'neq', value: 'smb' }, { field: 'score', op: 'gte', value: 3 }, { field: 'score', op: 'lt', value: 9 }, { field: 'score', op: 'in', value: [1, 2] }] }, target: { kind: 'person', managerId: 'ivan' } },
    { id: 'to-pool', name: 'Pool', when: { field: 'priority', op: 'eq', value: 'low' }, target: { kind: 'pool' } },
  ],
  fallback: { kind: 'manager', managerId: 'anna' },
};

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

describe('the rule editor’s model', () => {
  it('is valid for the server as written, and the JSON view gives back exactly what the builder holds', () => {
    expect(validateRuleSet(EVERYTHING, KNOWN)).toMatchObject({ ok: true });
    expect(canShowInBuilder(EVERYTHING)).toBe(true);
    const parsed = parseDefinitionJson(formatDefinitionJson(EVERYTHING));
    expect(parsed).toEqual({ ok: true, definition: EVERYTHING });
    // Text → definition → text is exact too (the view rewrites only what the builder changed).
    const text = formatDefinitionJson(EVERYTHING);
    expect(formatDefinitionJson(parsed.ok ? parsed.definition : null)).toBe(text);
  });

  it('reports a JSON syntax error with the engine’s message, and its line from a position or a line number', () => {
    expect(parseDefinitionJson('{\n  "rules": [\n    oops\n  ]\n}')).toMatchObject({ ok: false, message: expect.stringMatching(/.+/) });
    // The two shapes engines use; Node 20's V8 gives neither for some errors, and then there is no line.
    const at = (message: string) => {
      const original = JSON.parse;
      JSON.parse = () => {
        throw new SyntaxError(message);
      };
      try {
        return parseDefinitionJson('{\n\n  x');
      } finally {
        JSON.parse = original;
      }
    };
    expect(at('Unexpected token x in JSON at position 5')).toMatchObject({ ok: false, line: 3 });
    expect(at('Unexpected token (line 2 column 4)')).toMatchObject({ ok: false, line: 2 });
    expect(at('Unexpected end of JSON input')).toMatchObject({ ok: false, line: null });
  });

  it('refuses to draw a tree it cannot walk, so the JSON view stays the way to fix it', () => {
    expect(canShowInBuilder({ ...EVERYTHING, rules: 'none' })).toBe(false);
    expect(canShowInBuilder({ ...EVERYTHING, rules: [{ id: 'x', name: 'X', target: { kind: 'pool' }, when: { field: 'region' } }] })).toBe(false);
    expect(canShowInBuilder({ ...EVERYTHING, rules: [{ id: 'x', name: 'X', target: { kind: 'pool' }, when: { all: [{ nope: true }] } }] })).toBe(false);
    expect(canShowInBuilder(null)).toBe(false);
  });

  it('offers for every lead field exactly the operators the validator accepts, each valid with the value it starts with', () => {
    const seeds: Record<string, unknown> = { string: 'Москва', number: 42, 'string[]': 'crm' };
    for (const [field, type] of Object.entries(LEAD_FIELDS)) {
      for (const op of ALL_OPERATORS) {
        const offered = operatorsFor(field).includes(op);
        let value = valueForOperator(op, fieldKindOf(field), seeds[type]);
        if (op === 'between') value = [1, 2];
        const definition = { ...EVERYTHING, rules: [{ id: 'r', name: 'R', when: comparisonOf(field, op, value), target: { kind: 'pool' } }] };
        const result = validateRuleSet(definition, KNOWN);
        expect(result.ok, `${field} ${op} ${JSON.stringify(value)}`).toBe(offered);
      }
    }
    expect(operatorsFor('custom.anything')).toEqual(ALL_OPERATORS);
  });

  it.each<[string, Operator, unknown, Operator, unknown]>([
    ['a text becomes a one-item list and back', 'eq', 'Москва', 'in', ['Москва']],
    ['a list keeps its items', 'in', ['a', 'b'], 'not_in', ['a', 'b']],
    ['a number typed as text becomes a number for "greater than"', 'eq', '15', 'gt', 15],
    ['a range keeps its ends', 'between', [1, 5], 'between', [1, 5]],
    ['"is filled" has no value to carry', 'eq', 'x', 'exists', true],
    ['"contains" keeps the first text', 'in', ['acme', 'beta'], 'contains', 'acme'],
  ])('switching operators keeps what still fits: %s', (_label, _from, previous, to, expected) => {
    expect(valueForOperator(to, 'string', previous)).toEqual(expected);
  });

  it('clears what does not fit when the operator changes, instead of inventing a value', () => {
    expect(valueForOperator('gt', 'number', 'lots')).toBeUndefined();
    expect(valueForOperator('between', 'number', 5)).toBeUndefined();
    expect(valueForOperator('eq', 'number', 'abc')).toBeUndefined();
    expect(valueForOperator('in', 'string', true)).toEqual([]);
    expect(comparisonOf('score', 'gt', undefined)).toEqual({ field: 'score', op: 'gt' });
  });

  it('gives a copied rule an id of its own right after the original, and moves rules without losing any', () => {
    const copied = duplicateRule(EVERYTHING.rules, 0, '(копия)');
    expect(copied.map((r) => r.id)).toEqual(['big', 'big-2', 'perf', 'lists', 'to-pool']);
    expect(copied[1]).toMatchObject({ name: 'Крупные (копия)', when: EVERYTHING.rules[0]?.when });
    expect(copied[1]?.when).not.toBe(EVERYTHING.rules[0]?.when);
    expect(uniqueRuleId(['rule', 'rule-2', 'RULE-3'], 'rule')).toBe('rule-4');
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
});

describe('issues shown where they belong', () => {
  it('builds paths the way the server writes them, odd keys included', () => {
    const segments = ['rules', 2, 'target', 'weights', 'm-1'] as const;
    expect(segments.reduce<string>((p, s) => childPath(p, s), '')).toBe(formatPath(segments));
    expect(['rules', 0, 'when', 'all', 1, 'value'].reduce<string>((p, s) => childPath(p, s), '')).toBe('rules[0].when.all[1].value');
  });

  it('puts the server’s issue on the very condition it names, and counts it on its rule', () => {
    const definition = structuredClone(EVERYTHING);
    (definition.rules[0]?.when as { all: Condition[] }).all[0] = { field: 'dealValue', op: 'gt', value: 'lots' } as unknown as Condition;
    const result = validateRuleSet(definition, KNOWN);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issuesAt(issues, 'rules[0].when.all[0].value')).toHaveLength(1);
    expect(issuesAt(issues, 'rules[0].when.all[1].value')).toHaveLength(0);
    expect(issuesWithin(issues, 'rules[0]')).toHaveLength(1);
    expect(issuesWithin(issues, 'rules[1]')).toHaveLength(0);
    // "rules[1]" must not catch "rules[10]".
    expect(issuesWithin([{ path: 'rules[10].id', code: 'x', message: '' }], 'rules[1]')).toHaveLength(0);
  });

  it('says every validator code in Russian, and keeps the server’s sentence for a code it does not know', () => {
    const codes = ['invalid_rule_id', 'duplicate_rule_id', 'unknown_manager', 'unknown_team', 'unknown_field', 'operator_not_valid_for_field', 'empty_list', 'value_type_mismatch', 'between_min_greater_than_max', 'empty_group', 'weight_not_positive', 'floor_out_of_range', 'prior_strength_negative', 'required', 'invalid_type', 'unknown_key'];
    for (const code of codes) expect(issueText(tRu, { path: 'x', code, message: 'english' }), code).toMatch(/[а-яё]/i);
    expect(issueText(tRu, { path: 'x', code: 'something_new', message: 'Server sentence' })).toBe('Server sentence');
  });
});

describe('rules told in words', () => {
  const names = { manager: (id: string) => ({ anna: 'Анна', ivan: 'Иван' })[id] ?? id, team: (id: string) => (id === 'sales' ? 'Продажи' : id) };

  it('reads a nested condition with the reader’s digits, brackets where the meaning needs them', () => {
    expect(describeCondition(tRu, EVERYTHING.rules[0]?.when)).toBe(
      'Сумма сделки > 1\u00a0000\u00a0000 и (Регион — одно из: Москва, Казань или не Источник = cold) и не (Скоринг от 10 до 20 и Сотрудников в компании ≤ 5)',
    );
    expect(describeCondition(tEn, { field: 'dealValue', op: 'gte', value: 2500 })).toBe('Deal value ≥ 2,500');
    expect(describeCondition(tRu, undefined)).toBe('все лиды');
    expect(describeCondition(tRu, { any: [{ field: 'taxId', op: 'exists', value: false }] })).toBe('поле «ИНН» не заполнено');
  });

  it('names the people, teams and strategy a rule sends leads to', () => {
    expect(describeTarget(tRu, EVERYTHING.rules[0]!.target, names)).toBe('команда «Продажи», Анна: по очереди с весами; навыки: b2b; по профилю: региону, отрасли');
    expect(describeTarget(tRu, { kind: 'group', strategy: 'least_loaded' }, names)).toBe('все менеджеры: наименее загруженному');
    expect(describeTarget(tEn, { kind: 'person', managerId: 'ivan' }, names)).toBe('to Иван');
  });
});

describe('the difference between two versions', () => {
  it('lists added, removed, moved and changed rules and the changed policies, and nothing else', () => {
    const after: RuleSetDefinition = structuredClone(EVERYTHING);
    after.ownership = { enabled: true, whenOwnerUnavailable: 'pool' };
    after.rules = [after.rules[2]!, after.rules[0]!, { ...after.rules[1]!, enabled: true }, { id: 'new', name: 'New', target: { kind: 'pool' } }];
    after.rules[1] = { ...after.rules[1]!, target: { ...after.rules[1]!.target, strategy: 'round_robin' } as RuleSetDefinition['rules'][number]['target'] };
    const changes = diffRuleSets(EVERYTHING, after);
    expect(changes.map((c) => [c.kind, 'rule' in c ? c.rule.id : null])).toEqual([
      ['ownership', null],
      ['removed', 'to-pool'],
      ['moved', 'lists'],
      ['changed', 'big'],
      ['changed', 'perf'],
      ['added', 'new'],
    ]);
    expect(changes.find((c) => c.kind === 'changed' && c.rule.id === 'big')).toMatchObject({ parts: ['target'] });
    expect(changes.find((c) => c.kind === 'changed' && c.rule.id === 'perf')).toMatchObject({ parts: ['enabled'] });
  });

  it('sees no change in key order at any depth, or in "enabled: true" against a rule that leaves it out', () => {
    const reversedKeys = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversedKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) : value;
    const reordered = reversedKeys(EVERYTHING) as RuleSetDefinition;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(EVERYTHING));
    expect(diffRuleSets(EVERYTHING, reordered)).toEqual([]);
    const same = { ...EVERYTHING, rules: EVERYTHING.rules.map((r) => ({ enabled: r.enabled ?? true, ...r })) };
    expect(diffRuleSets(EVERYTHING, same)).toEqual([]);
  });
});

describe('the builder’s edits', () => {
  const text = (value: unknown) => formatDefinitionJson(value);
  const big = EVERYTHING.rules[0]!;
  const group = big.target as Extract<RuleSetDefinition['rules'][number]['target'], { kind: 'group' }>;

  it('undoing an edit gives back exactly the JSON it started from, with no empty keys left behind', () => {
    const undone: Array<[string, unknown, unknown]> = [
      ['switching a rule off and on', setEnabled(setEnabled(big, false), true), big],
      ['the fallback choice and back', setOnNoCandidate(setOnNoCandidate(big, 'next_rule'), 'fallback'), big],
      ['a weight added and cleared', withWeight(withWeight(group, 'ivan', 4), 'ivan', undefined), group],
      ['every weight cleared removes the weights', withWeight(withWeight(group, 'anna', undefined), 'm-1', undefined), (({ weights: _w, ...rest }) => rest)(group)],
      ['a floor set and cleared', withPerformance(withPerformance(group, 'floor', 0.3), 'floor', undefined), group],
      ['skills cleared and set again', withList(withList(group, 'requiredSkills', []), 'requiredSkills', ['b2b']), group],
      ['a weighted group made round robin keeps its members where they were', changeStrategy(changeStrategy(group, 'round_robin'), 'weighted'), (({ weights: _w, ...rest }) => rest)(group)],
      ['all → any → all', switchGroupMode(switchGroupMode(big.when as { all: Condition[] }, 'any') as { any: Condition[] }, 'all'), big.when],
      ['a condition removed and the rule for every lead', setWhen(setWhen(big, undefined), big.when), big],
    ];
    for (const [label, after, before] of undone) expect(text(after), label).toBe(text(before));
    expect(withList(group, 'teams', [])).not.toHaveProperty('teams');
    expect(withPerformance({ kind: 'group', strategy: 'performance', performance: { floor: 0.5 } }, 'floor', undefined)).not.toHaveProperty('performance');
  });

  it('keeps what still fits when a field or operator changes, for every operator, and the result is what the validator accepts', () => {
    const start = { field: 'region', op: 'eq', value: 'Москва' } as const;
    expect(changeOperator(start, 'in')).toEqual({ field: 'region', op: 'in', value: ['Москва'] });
    expect(changeOperator(changeOperator(start, 'in'), 'eq')).toEqual(start);
    expect(changeField(start, 'dealValue')).toEqual({ field: 'dealValue', op: 'eq' });
    expect(changeField({ field: 'dealValue', op: 'between', value: [1, 2] }, 'companySize')).toEqual({ field: 'companySize', op: 'between', value: [1, 2] });
    expect(changeField({ field: 'dealValue', op: 'gt', value: 5 }, 'productInterest')).toEqual({ field: 'productInterest', op: 'in', value: [5] });
    expect(changeValue(start, 'Казань')).toEqual({ field: 'region', op: 'eq', value: 'Казань' });
    for (const op of ALL_OPERATORS) {
      const edited = changeOperator({ field: 'custom.segment', op: 'in', value: ['a'] }, op);
      expect(edited.op).toBe(op);
    }
  });

  it('builds nested conditions the validator accepts: groups, parts and NOT', () => {
    let when: Condition = { all: [{ field: 'dealValue', op: 'gt', value: 1 }] };
    when = addComparison(when as { all: Condition[] });
    when = addNestedGroup(when as { all: Condition[] });
    when = negate(when);
    expect(when).toEqual({ not: { all: [{ field: 'dealValue', op: 'gt', value: 1 }, { field: 'source', op: 'eq', value: '' }, { all: [{ field: 'source', op: 'eq', value: '' }] }] } });
    const definition = { ...EVERYTHING, rules: [setWhen(big, when)] };
    expect(validateRuleSet(definition, KNOWN)).toMatchObject({ ok: true });
  });

  it('changes targets and strategies without carrying settings that no longer apply', () => {
    expect(changeTargetKind(group, 'person', 'vera')).toEqual({ kind: 'person', managerId: 'anna' });
    expect(changeTargetKind({ kind: 'person', managerId: 'ivan' }, 'group', 'vera')).toEqual({ kind: 'group', strategy: 'round_robin', managers: ['ivan'] });
    expect(changeTargetKind(group, 'pool', 'vera')).toEqual({ kind: 'pool' });
    expect(changeStrategy(group, 'round_robin')).not.toHaveProperty('weights');
    expect(changeStrategy({ kind: 'group', strategy: 'performance', performance: { floor: 0.2 } }, 'least_loaded')).toEqual({ kind: 'group', strategy: 'least_loaded' });
    expect(changeFallback('manager', 'anna')).toEqual({ kind: 'manager', managerId: 'anna' });
    expect(changeFallback('pool', 'anna')).toEqual({ kind: 'pool' });
  });
});
