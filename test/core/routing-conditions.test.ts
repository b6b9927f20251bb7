import { describe, expect, it } from 'vitest';
import { compileCondition, evaluateCondition } from '../../src/core/routing/conditions.js';
import type { Condition } from '../../src/core/routing/rule-set.js';
import { lead } from './routing-fixtures.js';

const moscowLead = lead({
  region: 'Moscow',
  industry: 'Retail ',
  dealValue: 500_000,
  productInterest: ['CRM', 'Telephony'],
  source: 'web',
  custom: { employees: '250', vip: true, segment: 'Enterprise', tags: ['hot', 'Partner'] },
});

const holds = (condition: Condition, facts = moscowLead): boolean => evaluateCondition(condition, facts);

describe('conditions', () => {
  it('eq and neq compare text ignoring case and surrounding spaces', () => {
    expect(holds({ field: 'region', op: 'eq', value: ' moscow' })).toBe(true);
    expect(holds({ field: 'industry', op: 'eq', value: 'RETAIL' })).toBe(true);
    expect(holds({ field: 'region', op: 'eq', value: 'Kazan' })).toBe(false);
    expect(holds({ field: 'region', op: 'neq', value: 'Kazan' })).toBe(true);
    expect(holds({ field: 'region', op: 'neq', value: 'MOSCOW' })).toBe(false);
  });

  it('eq compares numbers and booleans, including a numeric custom string', () => {
    expect(holds({ field: 'dealValue', op: 'eq', value: 500_000 })).toBe(true);
    expect(holds({ field: 'custom.employees', op: 'eq', value: 250 })).toBe(true);
    expect(holds({ field: 'custom.vip', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'custom.vip', op: 'eq', value: false })).toBe(false);
  });

  it('a missing field never equals anything, and so is always "not equal"', () => {
    expect(holds({ field: 'country', op: 'eq', value: 'RU' })).toBe(false);
    expect(holds({ field: 'country', op: 'neq', value: 'RU' })).toBe(true);
    expect(holds({ field: 'custom.nothing', op: 'neq', value: 1 })).toBe(true);
  });

  it('in / not_in test membership; a list field matches when any element is listed', () => {
    expect(holds({ field: 'region', op: 'in', value: ['Kazan', 'MOSCOW'] })).toBe(true);
    expect(holds({ field: 'region', op: 'not_in', value: ['Kazan', 'MOSCOW'] })).toBe(false);
    expect(holds({ field: 'productInterest', op: 'in', value: ['telephony', 'erp'] })).toBe(true);
    expect(holds({ field: 'productInterest', op: 'in', value: ['erp'] })).toBe(false);
    expect(holds({ field: 'productInterest', op: 'not_in', value: ['erp'] })).toBe(true);
    expect(holds({ field: 'custom.employees', op: 'in', value: [100, 250] })).toBe(true);
  });

  it('not_in on a missing field is true and in is false', () => {
    expect(holds({ field: 'country', op: 'in', value: ['RU'] })).toBe(false);
    expect(holds({ field: 'country', op: 'not_in', value: ['RU'] })).toBe(true);
  });

  it('gt, gte, lt, lte and between (inclusive) compare numbers', () => {
    expect(holds({ field: 'dealValue', op: 'gt', value: 499_999 })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'gt', value: 500_000 })).toBe(false);
    expect(holds({ field: 'dealValue', op: 'gte', value: 500_000 })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'lt', value: 500_000 })).toBe(false);
    expect(holds({ field: 'dealValue', op: 'lte', value: 500_000 })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'between', value: [500_000, 600_000] })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'between', value: [100, 500_000] })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'between', value: [500_001, 600_000] })).toBe(false);
  });

  it('a numeric custom string counts as a number; a missing or non-numeric value fails every comparison', () => {
    expect(holds({ field: 'custom.employees', op: 'gte', value: 200 })).toBe(true);
    expect(holds({ field: 'custom.employees', op: 'between', value: [200, 300] })).toBe(true);
    expect(holds({ field: 'custom.segment', op: 'lt', value: 10 })).toBe(false);
    expect(holds({ field: 'custom.segment', op: 'gte', value: 10 })).toBe(false);
    expect(holds({ field: 'score', op: 'lt', value: 10 })).toBe(false);
    expect(holds({ field: 'score', op: 'gte', value: 0 })).toBe(false);
    expect(holds({ field: 'custom.blank', op: 'lt', value: 10 }, lead({ custom: { blank: '' } }))).toBe(false);
  });

  it('contains finds a substring in text and an element in a list, ignoring case', () => {
    expect(holds({ field: 'region', op: 'contains', value: 'SCO' })).toBe(true);
    expect(holds({ field: 'region', op: 'contains', value: 'kaz' })).toBe(false);
    expect(holds({ field: 'productInterest', op: 'contains', value: 'crm' })).toBe(true);
    expect(holds({ field: 'productInterest', op: 'contains', value: 'cr' })).toBe(false);
    expect(holds({ field: 'custom.tags', op: 'contains', value: 'partner' })).toBe(true);
    expect(holds({ field: 'dealValue', op: 'contains', value: '5' })).toBe(false);
  });

  it('exists is true for a set, non-empty value; exists false is the opposite', () => {
    expect(holds({ field: 'region', op: 'exists' })).toBe(true);
    expect(holds({ field: 'country', op: 'exists' })).toBe(false);
    expect(holds({ field: 'country', op: 'exists', value: false })).toBe(true);
    expect(holds({ field: 'region', op: 'exists' }, lead({ region: '  ' }))).toBe(false);
    expect(holds({ field: 'productInterest', op: 'exists' }, lead({ productInterest: [] }))).toBe(false);
    expect(holds({ field: 'custom.vip', op: 'exists' })).toBe(true);
    expect(holds({ field: 'custom.none', op: 'exists' })).toBe(false);
  });

  it('all, any and not nest; all of nothing is true, any of nothing is false', () => {
    const condition: Condition = {
      all: [
        { field: 'region', op: 'eq', value: 'moscow' },
        { any: [{ field: 'source', op: 'eq', value: 'phone' }, { not: { field: 'dealValue', op: 'lt', value: 100_000 } }] },
      ],
    };
    expect(holds(condition)).toBe(true);
    expect(holds(condition, lead({ region: 'moscow', dealValue: 5 }))).toBe(false);
    expect(holds(condition, lead({ region: 'moscow', dealValue: 5, source: 'PHONE' }))).toBe(true);
    expect(holds({ all: [] })).toBe(true);
    expect(holds({ any: [] })).toBe(false);
    expect(holds({ not: { any: [] } })).toBe(true);
  });

  it('an unknown field reads as missing instead of failing', () => {
    expect(holds({ field: 'regoin', op: 'eq', value: 'moscow' })).toBe(false);
    expect(holds({ field: 'regoin', op: 'neq', value: 'moscow' })).toBe(true);
    expect(holds({ field: 'custom.x', op: 'eq', value: 1 }, { custom: undefined as unknown as Record<string, unknown> })).toBe(false);
  });

  it('a compiled condition gives the same answers and can be reused across leads', () => {
    const compiled = compileCondition({ any: [{ field: 'region', op: 'in', value: ['kazan', 'moscow'] }, { field: 'score', op: 'gt', value: 80 }, { field: 'custom.vip', op: 'eq', value: true }] });
    expect(compiled(moscowLead)).toBe(true);
    expect(compiled(lead({ score: 90 }))).toBe(true);
    expect(compiled(lead({ score: 10 }))).toBe(false);
  });
});
