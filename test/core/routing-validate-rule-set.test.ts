import { describe, expect, it } from 'vitest';
import { validateRuleSet } from '../../src/core/routing/validate-rule-set.js';

const known = { managerIds: new Set(['anna', 'ivan', 'olga']), teamIds: new Set(['moscow', 'siberia']) };

const valid = {
  ownership: { enabled: true, whenOwnerUnavailable: 'next_rule' },
  rules: [
    {
      id: 'moscow-enterprise',
      name: 'Moscow enterprise',
      when: { all: [{ field: 'region', op: 'eq', value: 'Moscow' }, { field: 'dealValue', op: 'gte', value: 1_000_000 }] },
      target: { kind: 'group', teams: ['moscow'], strategy: 'weighted', weights: { anna: 2 } },
    },
    { id: 'vip', name: 'VIP', when: { field: 'custom.vip', op: 'eq', value: true }, target: { kind: 'person', managerId: 'ivan' } },
    { id: 'everyone', name: 'Everyone', target: { kind: 'group', strategy: 'performance', performance: { floor: 0.3 } } },
  ],
  fallback: { kind: 'manager', managerId: 'olga' },
};

/** A rule set as loose JSON, for tests that break it on purpose. */
type Loose = { rules: Array<Record<string, unknown>>; fallback: unknown };
const editable = (): Loose => structuredClone(valid) as unknown as Loose;

function issuesOf(input: unknown) {
  const result = validateRuleSet(input, known);
  if (result.ok) throw new Error('expected issues');
  return result.issues;
}

describe('validateRuleSet', () => {
  it('accepts a valid rule set and returns it', () => {
    const result = validateRuleSet(valid, known);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.ruleSet.rules.map((r) => r.id)).toEqual(['moscow-enterprise', 'vip', 'everyone']);
  });

  it('reports several mistakes at once, each with a precise path and a sentence naming the rule', () => {
    const input = editable();
    input.rules[0] = {
      ...input.rules[0],
      when: {
        all: [
          { field: 'regoin', op: 'eq', value: 'Moscow' },
          { field: 'region', op: 'gt', value: 5 },
          { field: 'dealValue', op: 'contains', value: '1' },
          { field: 'dealValue', op: 'between', value: [100, 10] },
          { field: 'industry', op: 'in', value: [] },
          { field: 'dealValue', op: 'eq', value: 'big' },
        ],
      },
    };
    input.rules[1] = { ...input.rules[1], target: { kind: 'person', managerId: 'nobody' } };
    input.rules[2] = { ...input.rules[2], id: 'vip', target: { kind: 'group', strategy: 'weighted', managers: [], teams: [] } };
    const issues = issuesOf(input);
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue]));

    expect(byPath['rules[0].when.all[0].field']).toMatchObject({ code: 'unknown_field' });
    expect(byPath['rules[0].when.all[0].field']?.message).toMatch(
      /^Rule "moscow-enterprise": field "regoin" is not a lead field \(did you mean "region"\?\); use one of source, channel, .* or custom\.<name>$/,
    );
    expect(byPath['rules[0].when.all[1].op']).toMatchObject({ code: 'operator_not_valid_for_field' });
    expect(byPath['rules[0].when.all[1].op']?.message).toContain('operator "gt" does not apply to text field "region"');
    expect(byPath['rules[0].when.all[2].op']?.message).toContain('operator "contains" does not apply to number field "dealValue"');
    expect(byPath['rules[0].when.all[3].value']).toMatchObject({ code: 'between_min_greater_than_max' });
    expect(byPath['rules[0].when.all[4].value']).toMatchObject({ code: 'empty_list' });
    expect(byPath['rules[0].when.all[5].value']).toMatchObject({ code: 'value_type_mismatch' });
    expect(byPath['rules[1].target.managerId']).toMatchObject({ code: 'unknown_manager', message: 'Rule "vip": manager "nobody" does not exist' });
    expect(byPath['rules[2].id']).toMatchObject({ code: 'duplicate_rule_id' });
    expect(byPath['rules[2].target']).toMatchObject({ code: 'empty_group' });
    expect(issues).toHaveLength(9);
  });

  it('reports shape errors deep inside conditions with the right path', () => {
    const input = editable();
    input.rules[0] = {
      ...input.rules[0],
      when: { any: [{ field: 'region', op: 'eq', value: 'x' }, { not: { field: 'score', op: 'gte', value: 'high' } }, { field: 'region', op: 'like', value: 'x' }] },
      extra: true,
    };
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'rules[0].when.any[1].not.value',
          code: 'invalid_type',
          message: 'Rule "moscow-enterprise": "when.any[1].not.value" must be a number for operator "gte", not "high"',
        },
        expect.objectContaining({ path: 'rules[0].when.any[2].op', code: 'invalid_value' }),
        expect.objectContaining({ path: 'rules[0].extra', code: 'unknown_key' }),
      ]),
    );
  });

  it('rejects bad rule ids, unknown teams and managers, bad weights and performance settings', () => {
    const input = editable();
    input.rules[0] = {
      ...input.rules[0],
      id: 'bad id!',
      target: {
        kind: 'group',
        teams: ['moscow', 'atlantis'],
        managers: ['anna', 'ghost'],
        strategy: 'performance',
        weights: { anna: 0, ghost: 1 },
        performance: { floor: 1.5, priorStrength: -3 },
      },
    };
    input.fallback = { kind: 'manager', managerId: 'former' };
    const codes = issuesOf(input).map((issue) => `${issue.path} ${issue.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'rules[0].id invalid_rule_id',
        'rules[0].target.teams[1] unknown_team',
        'rules[0].target.managers[1] unknown_manager',
        'rules[0].target.weights.anna weight_not_positive',
        'rules[0].target.weights.ghost unknown_manager',
        'rules[0].target.performance.floor floor_out_of_range',
        'rules[0].target.performance.priorStrength prior_strength_negative',
        'fallback.managerId unknown_manager',
      ]),
    );
  });

  it('a group without managers or teams means everyone and is allowed', () => {
    expect(validateRuleSet(valid, known).ok).toBe(true);
  });

  it('a non-object input is one clear issue', () => {
    expect(issuesOf(42)).toEqual([{ path: '', code: 'invalid_type', message: 'Rule set: the rule set must be an object, not number 42' }]);
  });

  it('custom fields accept any operator but still need a non-empty list and an ordered range', () => {
    const input = editable();
    input.rules[1] = { ...input.rules[1], when: { all: [{ field: 'custom.size', op: 'gt', value: 5 }, { field: 'custom.tags', op: 'in', value: [] }, { field: 'custom.', op: 'exists' }] } };
    const codes = issuesOf(input).map((issue) => `${issue.path} ${issue.code}`);
    expect(codes).toEqual(['rules[1].when.all[1].value empty_list', 'rules[1].when.all[2].field unknown_field']);
  });
});

describe('validateRuleSet: letter ranges and text comparisons', () => {
  const withWhen = (when: unknown) => {
    const input = editable();
    input.rules[1] = { ...input.rules[1], when };
    return input;
  };

  it('accepts initial_in on text, contact-name and custom fields, and starts_with on text', () => {
    const when = {
      all: [
        { field: 'companyName', op: 'initial_in', value: ['А-К', 'a–m', 'Ж', 'Ё'] },
        { field: 'name', op: 'initial_in', value: ['Л-Я'] },
        { field: 'custom.brand', op: 'initial_in', value: ['N-Z'] },
        { field: 'email', op: 'starts_with', value: 'info@' },
      ],
    };
    expect(validateRuleSet(withWhen(when), known).ok).toBe(true);
  });

  it('refuses a range mixing alphabets, a backwards range and anything that is not a range, each at its item', () => {
    const issues = issuesOf(withWhen({ field: 'companyName', op: 'initial_in', value: ['А-К', 'А-K', 'Я-Л', 'АБВ', 'Л-Я'] }));
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual([
      'rules[1].when.value[1] mixed_alphabet_range',
      'rules[1].when.value[2] reversed_letter_range',
      'rules[1].when.value[3] invalid_letter_range',
    ]);
    expect(issues[0]?.message).toBe(
      'Rule "vip": field "companyName": "А-K" joins a Cyrillic letter (А) with a Latin one (K); a range stays within one alphabet (a letter typed in the other keyboard layout looks the same but is not): give each alphabet its own range, like "А-К" and "A-M"',
    );
    expect(issues[1]?.message).toContain('write "Л-Я"');
  });

  it('refuses an empty list of ranges, ranges given as one text, and an empty prefix', () => {
    expect(issuesOf(withWhen({ field: 'companyName', op: 'initial_in', value: [] }))).toMatchObject([{ path: 'rules[1].when.value', code: 'empty_list' }]);
    expect(issuesOf(withWhen({ field: 'companyName', op: 'initial_in', value: 'А-К' }))).toMatchObject([{ path: 'rules[1].when.value', code: 'invalid_type' }]);
    expect(issuesOf(withWhen({ field: 'companyName', op: 'starts_with', value: '  ' }))).toMatchObject([{ path: 'rules[1].when.value', code: 'empty_prefix' }]);
  });

  it('keeps the new operators to text: not on numbers or lists', () => {
    const issues = issuesOf(withWhen({ all: [{ field: 'dealValue', op: 'initial_in', value: ['А-К'] }, { field: 'productInterest', op: 'starts_with', value: 'crm' }] }));
    expect(issues.map((issue) => `${issue.path} ${issue.code}`)).toEqual(['rules[1].when.all[0].op operator_not_valid_for_field', 'rules[1].when.all[1].op operator_not_valid_for_field']);
  });

  it.each(['gt', 'gte', 'lt', 'lte'])('refuses %s on a text field with one issue that names initial_in, starts_with and in', (op) => {
    for (const value of ['К', 5]) {
      const issues = issuesOf(withWhen({ field: 'companyName', op, value }));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path: 'rules[1].when.op', code: 'operator_not_valid_for_field' });
      expect(issues[0]?.message).toBe(
        `Rule "vip": operator "${op}" does not apply to text field "companyName"; texts are not compared by order: for a range of first letters use "initial_in" (["А-К"], ["A-M"]), for a beginning "starts_with", for listed values "in"`,
      );
    }
  });

  it('refuses between on text the same way, without a second issue about its numbers', () => {
    expect(issuesOf(withWhen({ field: 'region', op: 'between', value: ['А', 'К'] }))).toMatchObject([{ path: 'rules[1].when.op', code: 'operator_not_valid_for_field' }]);
  });
});
