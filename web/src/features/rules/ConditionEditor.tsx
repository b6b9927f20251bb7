import { ActionIcon, Badge, Box, Button, Group, Menu, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConditionValueInput } from './ConditionValueInput';
import { fieldLabel } from './describe-rules';
import { useRuleEditor } from './rule-editor-context';
import { childPath, issueText, issuesAt, issuesWithin } from './rule-issues';
import { addComparison, addNestedGroup, changeField, changeOperator, changeValue, negate, setGroupParts, switchGroupMode } from './rule-edits';
import { CUSTOM_FIELD_PREFIX, LEAD_FIELD_NAMES, fieldKindOf, isAll, isAny, isComparison, isNot, operatorsFor, removeAt, replaceAt, type Comparison, type Condition, type Operator } from './rule-model';
import { suggestionsFor } from './value-suggestions';

interface NodeProps {
  condition: Condition;
  path: string;
  onChange(next: Condition): void;
  /** Absent for the rule's top condition: removing it is the rule card's business. */
  onRemove?: () => void;
  depth?: number;
}

/** One node of a rule's condition tree: a group of all / any, a NOT, or a single comparison. */
export function ConditionEditor({ condition, path, onChange, onRemove, depth = 0 }: NodeProps) {
  if (isAll(condition) || isAny(condition)) return <ConditionGroup condition={condition} path={path} onChange={onChange} onRemove={onRemove} depth={depth} />;
  if (isNot(condition)) return <NegatedCondition condition={condition} path={path} onChange={onChange} onRemove={onRemove} depth={depth} />;
  if (isComparison(condition)) return <ComparisonRow comparison={condition} path={path} onChange={onChange} onRemove={onRemove} />;
  return null;
}

function ConditionGroup({ condition, path, onChange, onRemove, depth = 0 }: NodeProps & { condition: { all: Condition[] } | { any: Condition[] } }) {
  const { t } = useTranslation();
  const { readOnly, issues } = useRuleEditor();
  const mode = isAll(condition) ? 'all' : 'any';
  const parts = isAll(condition) ? condition.all : condition.any;
  const partsPath = childPath(path, mode);
  const set = (next: Condition[]) => onChange(setGroupParts(condition, next));
  const ownIssues = [...issuesAt(issues, path), ...issuesAt(issues, partsPath)];
  return (
    <Paper withBorder p="xs" bg={depth % 2 === 0 ? 'gray.0' : 'white'} data-testid="condition-group">
      <Stack gap={6}>
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            <Text size="xs" c="dimmed">{t('rules.condition.matchLabel')}</Text>
            <SegmentedControl
              size="xs"
              disabled={readOnly}
              value={mode}
              onChange={(next) => onChange(switchGroupMode(condition, next === 'all' ? 'all' : 'any'))}
              data={[{ value: 'all', label: t('rules.condition.all') }, { value: 'any', label: t('rules.condition.any') }]}
            />
          </Group>
          {!readOnly && (
            <Group gap={4}>
              <Button size="compact-xs" variant="light" onClick={() => onChange(addComparison(condition))}>+ {t('rules.condition.addComparison')}</Button>
              <Button size="compact-xs" variant="subtle" onClick={() => onChange(addNestedGroup(condition))}>+ {t('rules.condition.addGroup')}</Button>
              <NodeMenu condition={condition} onChange={onChange} onRemove={onRemove} />
            </Group>
          )}
        </Group>
        {ownIssues.map((issue) => <Text key={issue.path + issue.code} size="xs" c="red">{issueText(t, issue)}</Text>)}
        {parts.map((part, i) => (
          <ConditionEditor key={i} condition={part} path={childPath(partsPath, i)} depth={depth + 1} onChange={(next) => set(replaceAt(parts, i, next))} onRemove={() => set(removeAt(parts, i))} />
        ))}
      </Stack>
    </Paper>
  );
}

function NegatedCondition({ condition, path, onChange, onRemove, depth = 0 }: NodeProps & { condition: { not: Condition } }) {
  const { t } = useTranslation();
  const { readOnly } = useRuleEditor();
  return (
    <Group gap={6} align="flex-start" wrap="nowrap">
      <Stack gap={2} mt={6} align="center">
        <Badge color="red" variant="light">{t('rules.condition.not')}</Badge>
        {!readOnly && <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange(condition.not)}>{t('rules.condition.unnegate')}</Button>}
      </Stack>
      <Box style={{ flex: 1 }}>
        <ConditionEditor condition={condition.not} path={childPath(path, 'not')} depth={depth} onChange={(next) => onChange({ not: next })} onRemove={onRemove} />
      </Box>
    </Group>
  );
}

const CUSTOM_CHOICE = '__custom__';

function ComparisonRow({ comparison, path, onChange, onRemove }: { comparison: Comparison; path: string; onChange(next: Condition): void; onRemove?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const { readOnly, issues, vocabulary } = useRuleEditor();
  const kind = fieldKindOf(comparison.field);
  const isCustom = comparison.field.startsWith(CUSTOM_FIELD_PREFIX);
  const errorAt = (key: string) => {
    const found = issuesWithin(issues, childPath(path, key));
    return found.length > 0 ? found.map((i) => issueText(t, i)).join('; ') : undefined;
  };
  const fieldOptions = [
    { group: t('rules.condition.groupStandard'), items: LEAD_FIELD_NAMES.map((name) => ({ value: name, label: fieldLabel(t, name) })) },
    { group: t('rules.condition.groupCustom'), items: [{ value: CUSTOM_CHOICE, label: t('rules.condition.customField') }] },
  ];
  // A field the validator does not know still shows, so the error next to it makes sense.
  if (!isCustom && kind === undefined) fieldOptions[0]?.items.push({ value: comparison.field, label: comparison.field });
  const ops = operatorsFor(comparison.field);
  const setField = (field: string) => onChange(changeField(comparison, field));
  const ownIssues = issuesAt(issues, path);
  return (
    <Stack gap={2} data-testid="condition-row">
      <Group gap={6} wrap="wrap" align="flex-start">
        <Select
          size="xs"
          w={200}
          searchable
          disabled={readOnly}
          aria-label={t('rules.condition.field')}
          allowDeselect={false}
          data={fieldOptions}
          value={isCustom ? CUSTOM_CHOICE : comparison.field}
          error={errorAt('field')}
          onChange={(v) => v && setField(v === CUSTOM_CHOICE ? CUSTOM_FIELD_PREFIX : v)}
        />
        {isCustom && (
          <TextInput
            size="xs"
            w={140}
            disabled={readOnly}
            aria-label={t('rules.condition.customName')}
            placeholder={t('rules.condition.customName')}
            value={comparison.field.slice(CUSTOM_FIELD_PREFIX.length)}
            onChange={(e) => onChange({ ...comparison, field: `${CUSTOM_FIELD_PREFIX}${e.currentTarget.value.trim()}` })}
          />
        )}
        <Select
          size="xs"
          w={170}
          disabled={readOnly}
          aria-label={t('rules.condition.op')}
          allowDeselect={false}
          data={[...ops, ...(ops.includes(comparison.op) ? [] : [comparison.op])].map((op) => ({ value: op, label: t(`rules.op.${op}` as 'rules.op.eq', { defaultValue: op }) }))}
          value={comparison.op}
          error={errorAt('op')}
          onChange={(v) => v && onChange(changeOperator(comparison, v as Operator))}
        />
        <ConditionValueInput
          comparison={comparison}
          kind={kind}
          readOnly={readOnly}
          suggestions={suggestionsFor(comparison.field, vocabulary)}
          error={errorAt('value')}
          onChange={(value) => onChange(changeValue(comparison, value))}
        />
        {!readOnly && <NodeMenu condition={comparison} onChange={onChange} onRemove={onRemove} />}
      </Group>
      {ownIssues.map((issue) => <Text key={issue.code} size="xs" c="red">{issueText(t, issue)}</Text>)}
    </Stack>
  );
}

/** Negate, or remove, a node. */
function NodeMenu({ condition, onChange, onRemove }: { condition: Condition; onChange(next: Condition): void; onRemove?: (() => void) | undefined }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="md" aria-label={t('rules.condition.actions')}>⋯</ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onChange(negate(condition))}>{t('rules.condition.negate')}</Menu.Item>
        {onRemove && <Menu.Item color="red" onClick={onRemove}>{t('rules.condition.remove')}</Menu.Item>}
      </Menu.Dropdown>
    </Menu>
  );
}
