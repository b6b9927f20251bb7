import { ActionIcon, Badge, Box, Button, Collapse, Divider, Group, Paper, Select, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConditionEditor } from './ConditionEditor';
import { describeCondition, describeTarget } from './describe-rules';
import { useRuleEditor } from './rule-editor-context';
import { childPath, issueText, issuesAt, issuesWithin } from './rule-issues';
import { setEnabled, setOnNoCandidate, setWhen as withWhen } from './rule-edits';
import { isComparison, newComparison, type Condition, type Rule } from './rule-model';
import { TargetEditor } from './TargetEditor';

interface Props {
  /** A rule just added opens at once; the rest start folded to their one-line summary. */
  defaultOpen: boolean;
  rule: Rule;
  index: number;
  count: number;
  onChange(next: Rule): void;
  onMove(to: number): void;
  onDuplicate(): void;
  onRemove(): void;
  drag: { onDragStart(e: DragEvent): void; onDragOver(e: DragEvent): void; onDrop(e: DragEvent): void; onDragEnd(): void; over: boolean };
}

/** One rule: its name and switch, the condition tree, where it sends leads and what to do when nobody can take them. */
export function RuleCard({ defaultOpen, rule, index, count, onChange, onMove, onDuplicate, onRemove, drag }: Props) {
  const { t } = useTranslation();
  const { readOnly, issues, names } = useRuleEditor();
  const [open, setOpen] = useState(defaultOpen);
  const path = childPath('rules', index);
  const ruleIssues = issuesWithin(issues, path);
  const enabled = rule.enabled !== false;
  const errorAt = (key: string) => issuesAt(issues, childPath(path, key)).map((i) => issueText(t, i)).join('; ') || undefined;
  const setWhen = (when: Condition | undefined) => onChange(withWhen(rule, when));
  return (
    <Paper
      withBorder
      p="sm"
      shadow={drag.over ? 'md' : undefined}
      style={{ borderColor: ruleIssues.length > 0 ? 'var(--mantine-color-red-5)' : drag.over ? 'var(--mantine-color-blue-5)' : undefined, opacity: enabled ? 1 : 0.7 }}
      onDragOver={drag.onDragOver}
      onDrop={drag.onDrop}
      data-testid="rule-card"
      aria-label={rule.name}
    >
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap" align="center">
          {!readOnly && (
            <Tooltip label={t('rules.rule.drag')}>
              <Box draggable onDragStart={drag.onDragStart} onDragEnd={drag.onDragEnd} style={{ cursor: 'grab', userSelect: 'none' }} aria-label={t('rules.rule.drag')} c="dimmed" px={4}>⠿</Box>
            </Tooltip>
          )}
          <Badge variant="light" color={enabled ? 'blue' : 'gray'}>{t('rules.rule.number', { n: index + 1 })}</Badge>
          {readOnly ? (
            <Text fw={600} style={{ flex: 1 }}>{rule.name}</Text>
          ) : (
            <TextInput size="xs" style={{ flex: 1 }} aria-label={t('rules.rule.name')} value={rule.name} error={errorAt('name')} onChange={(e) => onChange({ ...rule, name: e.currentTarget.value })} />
          )}
          {ruleIssues.length > 0 && <Badge color="red" variant="filled">{t('rules.validation.count', { count: ruleIssues.length })}</Badge>}
          <Switch size="sm" disabled={readOnly} label={t('rules.rule.enabled')} checked={enabled} onChange={(e) => onChange(setEnabled(rule, e.currentTarget.checked))} />
          {!readOnly && (
            <Group gap={2} wrap="nowrap">
              <ActionIcon variant="subtle" color="gray" aria-label={t('rules.rule.moveUp')} disabled={index === 0} onClick={() => onMove(index - 1)}>↑</ActionIcon>
              <ActionIcon variant="subtle" color="gray" aria-label={t('rules.rule.moveDown')} disabled={index === count - 1} onClick={() => onMove(index + 1)}>↓</ActionIcon>
              <ActionIcon variant="subtle" color="gray" aria-label={t('rules.rule.duplicate')} onClick={onDuplicate}><CopyGlyph /></ActionIcon>
              <ActionIcon variant="subtle" color="red" aria-label={t('rules.rule.remove')} onClick={onRemove}>✕</ActionIcon>
            </Group>
          )}
          <ActionIcon variant="subtle" color="gray" aria-expanded={open} aria-label={rule.name} onClick={() => setOpen((o) => !o)}>{open ? '▴' : '▾'}</ActionIcon>
        </Group>
        <Text size="sm" c="dimmed" data-testid="rule-summary">
          {describeCondition(t, rule.when)} → {describeTarget(t, rule.target, names)}
        </Text>
        {!enabled && <Text size="xs" c="orange">{t('rules.rule.disabledNote')}</Text>}
        <Collapse expanded={open}>
          <Stack gap="sm">
            <Divider />
            {!readOnly && (
              <TextInput size="xs" maw={320} label={t('rules.rule.id')} description={t('rules.rule.idHint')} value={rule.id} error={errorAt('id')} onChange={(e) => onChange({ ...rule, id: e.currentTarget.value })} />
            )}
            <Stack gap={4}>
              <Text size="sm" fw={600}>{t('rules.rule.when')}</Text>
              {rule.when === undefined ? (
                <Group gap="xs">
                  <Text size="sm">{t('rules.rule.always')}</Text>
                  {!readOnly && <Button size="compact-xs" variant="light" onClick={() => setWhen({ all: [newComparison()] })}>+ {t('rules.rule.addConditions')}</Button>}
                </Group>
              ) : (
                <>
                  <ConditionEditor condition={rule.when} path={childPath(path, 'when')} onChange={setWhen} onRemove={() => setWhen(undefined)} />
                  {!readOnly && isComparison(rule.when) && (
                    <Button size="compact-xs" variant="subtle" w="fit-content" onClick={() => setWhen({ all: [rule.when as Condition, newComparison()] })}>+ {t('rules.condition.addComparison')}</Button>
                  )}
                </>
              )}
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600}>{t('rules.rule.target')}</Text>
              <TargetEditor target={rule.target} path={childPath(path, 'target')} onChange={(target) => onChange({ ...rule, target })} />
            </Stack>
            {rule.target.kind === 'group' && (
              <Select
                size="xs"
                maw={360}
                disabled={readOnly}
                allowDeselect={false}
                label={t('rules.rule.onNoCandidate')}
                data={[{ value: 'next_rule', label: t('rules.rule.next_rule') }, { value: 'fallback', label: t('rules.rule.fallback') }]}
                value={rule.onNoCandidate ?? 'next_rule'}
                error={errorAt('onNoCandidate')}
                onChange={(v) => onChange(setOnNoCandidate(rule, v === 'fallback' ? 'fallback' : 'next_rule'))}
              />
            )}
            {issuesAt(issues, path).map((issue) => <Text key={issue.code} size="xs" c="red">{issueText(t, issue)}</Text>)}
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}

/** Two overlapping sheets: "make a copy". */
function CopyGlyph() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <rect x="5" y="5" width="9" height="9" rx="1.5" />
      <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
    </svg>
  );
}
