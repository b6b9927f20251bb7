import { Autocomplete, Group, NumberInput, Select, TagsInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Comparison, FieldKind } from './rule-model';

interface Props {
  comparison: Comparison;
  kind: FieldKind | undefined;
  suggestions: string[];
  error: string | undefined;
  readOnly: boolean;
  onChange(value: unknown): void;
}

/** The usual halves of both alphabets, offered as the author types. */
const LETTER_RANGE_SUGGESTIONS = ['А-К', 'Л-Я', 'A-M', 'N-Z'];

const numberOrUndefined = (v: string | number): number | undefined => (typeof v === 'number' ? v : undefined);

/** The value part of a condition, shaped by its operator: one value, a list, a range, or filled / empty. */
export function ConditionValueInput({ comparison, kind, suggestions, error, readOnly, onChange }: Props) {
  const { t } = useTranslation();
  const value = (comparison as { value?: unknown }).value;
  const label = t('rules.condition.value');
  const numeric = kind === 'number';
  const common = { 'aria-label': label, error, disabled: readOnly, size: 'xs' as const, miw: 180, style: { flex: 1 } };
  switch (comparison.op) {
    case 'exists':
      return (
        <Select
          {...common}
          allowDeselect={false}
          data={[{ value: 'true', label: t('rules.condition.filled') }, { value: 'false', label: t('rules.condition.empty') }]}
          value={value === false ? 'false' : 'true'}
          onChange={(v) => onChange(v === 'false' ? false : true)}
        />
      );
    case 'between': {
      const [min, max] = Array.isArray(value) ? (value as unknown[]) : [];
      const set = (index: 0 | 1, next: number | undefined) => {
        const pair = [index === 0 ? next : min, index === 1 ? next : max];
        onChange(pair);
      };
      return (
        <Group gap={4} wrap="nowrap" style={{ flex: 1 }}>
          <NumberInput {...common} miw={110} aria-label={t('rules.condition.min')} placeholder={t('rules.condition.min')} thousandSeparator=" " value={typeof min === 'number' ? min : ''} onChange={(v) => set(0, numberOrUndefined(v))} />
          <NumberInput {...common} miw={110} error={undefined} aria-label={t('rules.condition.max')} placeholder={t('rules.condition.max')} thousandSeparator=" " value={typeof max === 'number' ? max : ''} onChange={(v) => set(1, numberOrUndefined(v))} />
        </Group>
      );
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return <NumberInput {...common} thousandSeparator=" " value={typeof value === 'number' ? value : ''} onChange={(v) => onChange(numberOrUndefined(v))} />;
    case 'in':
    case 'not_in': {
      const items = Array.isArray(value) ? (value as unknown[]).map(String) : [];
      return (
        <TagsInput
          {...common}
          placeholder={items.length === 0 ? t('rules.condition.valuesPlaceholder') : undefined}
          data={suggestions.filter((s) => !items.includes(s))}
          value={items}
          clearable
          // A number field keeps numbers: "5" typed becomes 5, so the rule compares numbers.
          onChange={(next) => onChange(next.map((v) => (numeric && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v)))}
        />
      );
    }
    case 'initial_in': {
      const items = Array.isArray(value) ? (value as unknown[]).map(String) : [];
      return (
        <TagsInput
          {...common}
          placeholder={items.length === 0 ? t('rules.condition.lettersPlaceholder') : undefined}
          description={t('rules.condition.lettersHint')}
          // The hint goes under the tags, so the input stays in line with the field and operator.
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          data={LETTER_RANGE_SUGGESTIONS.filter((s) => !items.includes(s))}
          value={items}
          clearable
          splitChars={[',', ';']}
          onChange={(next) => onChange(next.map((v) => v.trim().toUpperCase()))}
        />
      );
    }
    case 'contains':
    case 'starts_with':
      return <TextInput {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'eq':
    case 'neq':
      if (numeric) return <NumberInput {...common} thousandSeparator=" " value={typeof value === 'number' ? value : ''} onChange={(v) => onChange(numberOrUndefined(v))} />;
      return <Autocomplete {...common} data={suggestions} value={value === undefined ? '' : String(value)} onChange={(v) => onChange(v)} />;
  }
}
