import type { TFunction } from 'i18next';
import { CUSTOM_FIELD_PREFIX, isAll, isAny, isNot, type Comparison, type Condition, type Fallback, type Target } from './rule-model';

/** How ids are shown: managers and teams by name; an id nobody has stays as it is. */
export interface Names {
  manager(id: string): string;
  team(id: string): string;
}

export function fieldLabel(t: TFunction, field: string): string {
  if (field.startsWith(CUSTOM_FIELD_PREFIX)) return t('rules.field.custom', { name: field.slice(CUSTOM_FIELD_PREFIX.length) });
  return t(`rules.field.${field}` as 'rules.field.source', { defaultValue: field });
}

/** Numbers in the reader's digits (1 000 000), lists joined, a missing value as an ellipsis. */
function valueText(t: TFunction, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueText(t, v)).join(', ');
  if (typeof value === 'number') return t('rules.sentence.number', { value });
  return value === undefined || value === null ? '…' : String(value);
}

function describeComparison(t: TFunction, c: Comparison): string {
  const field = fieldLabel(t, c.field);
  const value = (c as { value?: unknown }).value;
  switch (c.op) {
    case 'exists':
      return value === false ? t('rules.sentence.isEmpty', { field }) : t('rules.sentence.isFilled', { field });
    case 'between': {
      const [min, max] = Array.isArray(value) ? value : [];
      return t('rules.sentence.between', { field, min: valueText(t, min), max: valueText(t, max) });
    }
    case 'initial_in': {
      // "А-К" reads as «А–К»; ranges are alternatives, so «А–К или A–M».
      const ranges = (Array.isArray(value) ? value : []).map((v) => String(v).replace(/\s*[-–—]\s*/, '–'));
      const letters = ranges.length > 0 ? ranges.join(` ${t('rules.sentence.or')} `) : '…';
      const own = `rules.sentence.initialIn.${c.field}`;
      return t(own as 'rules.sentence.initialIn.companyName', { defaultValue: t('rules.sentence.initialIn.any', { field, value: letters }), value: letters });
    }
    default:
      return t(`rules.sentence.${c.op}` as 'rules.sentence.eq', { field, value: valueText(t, value) });
  }
}

/** A condition as one sentence: `Сумма сделки > 1000000 и (Регион = Москва или Регион = Казань)`. */
export function describeCondition(t: TFunction, condition: Condition | undefined, nested = false): string {
  if (condition === undefined) return t('rules.sentence.always');
  if (isAll(condition) || isAny(condition)) {
    const parts = isAll(condition) ? condition.all : condition.any;
    if (parts.length === 0) return isAll(condition) ? t('rules.sentence.always') : t('rules.sentence.never');
    const joined = parts.map((p) => describeCondition(t, p, true)).join(` ${isAll(condition) ? t('rules.sentence.and') : t('rules.sentence.or')} `);
    return nested && parts.length > 1 ? `(${joined})` : joined;
  }
  if (isNot(condition)) return t('rules.sentence.not', { condition: describeCondition(t, condition.not, true) });
  return describeComparison(t, condition);
}

export function strategyLabel(t: TFunction, strategy: string): string {
  return t(`rules.strategy.${strategy}` as 'rules.strategy.round_robin', { defaultValue: strategy });
}

/** Where a rule sends leads: `Команда «Продажи»: взвешенная очередь`. */
export function describeTarget(t: TFunction, target: Target, names: Names): string {
  switch (target.kind) {
    case 'pool':
      return t('rules.target.toPool');
    case 'person':
      return t('rules.target.toPerson', { name: names.manager(target.managerId) });
    case 'group': {
      const who = [
        ...(target.teams ?? []).map((id) => t('rules.target.teamNamed', { name: names.team(id) })),
        ...(target.managers ?? []).map((id) => names.manager(id)),
      ];
      const base = t('rules.target.toGroup', { who: who.length > 0 ? who.join(', ') : t('rules.target.everyone'), strategy: strategyLabel(t, target.strategy) });
      const skills = target.requiredSkills?.length ? `; ${t('rules.target.withSkills', { skills: target.requiredSkills.join(', ') })}` : '';
      const match = target.match?.length ? `; ${t('rules.target.matching', { what: target.match.map((m) => t(`rules.match.${m}`)).join(', ') })}` : '';
      const tiers = target.priorities && Object.keys(target.priorities).length > 0 ? `; ${t('rules.target.tiered', { count: Object.keys(target.priorities).length })}` : '';
      const period = target.fairnessPeriod && target.fairnessPeriod !== 'none' ? `; ${t(`rules.target.resets.${target.fairnessPeriod}`)}` : '';
      return base + skills + match + tiers + period;
    }
  }
}

export function describeFallback(t: TFunction, fallback: Fallback, names: Names): string {
  return fallback.kind === 'pool' ? t('rules.target.toPool') : t('rules.target.toPerson', { name: names.manager(fallback.managerId) });
}
