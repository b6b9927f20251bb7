import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';
import { describeCondition } from '../../web/src/features/rules/describe-rules.js';
import { issueText } from '../../web/src/features/rules/rule-issues.js';
import { operatorsFor, valueForOperator } from '../../web/src/features/rules/rule-model.js';
import { en, ru } from '../../web/src/i18n/all.js';

let tRu: TFunction;
let tEn: TFunction;

beforeAll(async () => {
  const make = async (lng: string): Promise<TFunction> => {
    const instance = i18next.createInstance();
    await instance.init({ lng, resources: { ru: { translation: ru }, en: { translation: en } }, interpolation: { escapeValue: false } });
    return instance.t;
  };
  tRu = await make('ru');
  tEn = await make('en');
});

describe('letter ranges in the rule editor', () => {
  it('offers initial_in and starts_with on text fields, the contact name included, and not on numbers or lists', () => {
    for (const field of ['companyName', 'name', 'region', 'custom.brand']) expect(operatorsFor(field)).toEqual(expect.arrayContaining(['initial_in', 'starts_with']));
    expect(operatorsFor('dealValue')).not.toContain('initial_in');
    expect(operatorsFor('productInterest')).not.toContain('starts_with');
  });

  it('turns what a condition held into letter ranges: ranges stay, a name becomes its initial', () => {
    expect(valueForOperator('initial_in', 'string', ['А-К', 'ООО «Ёлка»', 'Acme', 'А-К', 42])).toEqual(['А-К', 'Е', 'A']);
    expect(valueForOperator('initial_in', 'string', undefined)).toEqual([]);
    expect(valueForOperator('starts_with', 'string', 'Моск')).toBe('Моск');
  });

  it('tells the rule in words', () => {
    expect(describeCondition(tRu, { field: 'companyName', op: 'initial_in', value: ['А-К'] })).toBe('Название компании начинается на А–К');
    expect(describeCondition(tRu, { field: 'companyName', op: 'initial_in', value: ['А-К', 'A - M'] })).toBe('Название компании начинается на А–К или A–M');
    expect(describeCondition(tRu, { field: 'name', op: 'initial_in', value: ['Л-Я'] })).toBe('Имя контакта начинается на Л–Я');
    expect(describeCondition(tRu, { field: 'custom.brand', op: 'initial_in', value: ['Ж'] })).toBe('поле «brand» начинается на Ж');
    expect(describeCondition(tRu, { field: 'email', op: 'starts_with', value: 'info@' })).toBe('E-mail начинается с «info@»');
    expect(describeCondition(tEn, { field: 'companyName', op: 'initial_in', value: ['A-M'] })).toBe('Company name starts with A–M');
    expect(describeCondition(tEn, { not: { field: 'companyName', op: 'initial_in', value: ['A-M'] } })).toBe('not Company name starts with A–M');
  });

  it('says the validator’s range and text-order issues in Russian', () => {
    const definition = {
      ownership: { enabled: false, whenOwnerUnavailable: 'next_rule' },
      rules: [{ id: 'r', name: 'R', when: { all: [{ field: 'companyName', op: 'initial_in', value: ['А-K', 'К-А', 'АБВ'] }, { field: 'companyName', op: 'gt', value: 'К' }, { field: 'email', op: 'starts_with', value: '' }] }, target: { kind: 'pool' } }],
      fallback: { kind: 'pool' },
    };
    const result = validateRuleSet(definition, { managerIds: new Set(), teamIds: new Set() });
    const texts = result.ok ? [] : result.issues.map((issue) => issueText(tRu, issue));
    expect(texts).toHaveLength(5);
    expect(texts[0]).toMatch(/^Диапазон смешивает русские и латинские/);
    expect(texts[1]).toMatch(/^Диапазон задом наперёд/);
    expect(texts[2]).toMatch(/^Нужна одна буква/);
    expect(texts[3]).toMatch(/выберите «начинается на буквы»/);
    expect(texts[4]).toBe('Укажите, с чего начинается текст');
  });
});
