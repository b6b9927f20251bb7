import { Alert, Button, Group, Paper, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRuleEditor } from './rule-editor-context';
import { issueText, issuesWithin } from './rule-issues';
import { duplicateRule, moveItem, newRule, OWNER_UNAVAILABLE_POLICIES, removeAt, replaceAt, type OwnerUnavailablePolicy, type RuleSetDefinition } from './rule-model';
import { RuleCard } from './RuleCard';
import { changeFallback } from './rule-edits';

/** The whole rule set as forms: the owner policy first (it applies first), the ordered rules, then the fallback. */
export function RuleSetBuilder({ definition, onChange }: { definition: RuleSetDefinition; onChange(next: RuleSetDefinition): void }) {
  const { t } = useTranslation();
  const { readOnly, issues, managers } = useRuleEditor();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const rules = definition.rules;
  // Stable keys per rule, so a card keeps its open / folded state when rules move. Edits in the
  // JSON view that add or remove rules start a fresh set of keys.
  const [keys, setKeys] = useState<string[]>(() => rules.map(nextKey));
  const cardKeys = keys.length === rules.length ? keys : rules.map(nextKey);
  const edit = (next: RuleSetDefinition['rules'], nextKeys: string[]) => {
    setKeys(nextKeys);
    onChange({ ...definition, rules: next });
  };
  const setRules = (next: RuleSetDefinition['rules']) => onChange({ ...definition, rules: next });
  // Issues that belong to no rule, the owner policy or the fallback (e.g. a missing key at the top).
  const general = issues.filter((i) => !i.path.startsWith('rules[') && !i.path.startsWith('ownership') && !i.path.startsWith('fallback'));
  const ownershipIssues = issuesWithin(issues, 'ownership');
  const fallbackIssues = issuesWithin(issues, 'fallback');

  return (
    <Stack gap="sm">
      {general.length > 0 && (
        <Alert color="red" title={t('rules.validation.general')}>
          {general.map((i) => <Text key={i.path + i.code} size="sm">{issueText(t, i)}{i.path ? ` (${i.path})` : ''}</Text>)}
        </Alert>
      )}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Title order={5}>{t('rules.ownership.title')}</Title>
          <Group gap="lg" align="flex-end">
            <Switch
              disabled={readOnly}
              label={t('rules.ownership.enabled')}
              checked={definition.ownership.enabled}
              onChange={(e) => onChange({ ...definition, ownership: { ...definition.ownership, enabled: e.currentTarget.checked } })}
            />
            <Select
              size="xs"
              w={260}
              disabled={readOnly || !definition.ownership.enabled}
              allowDeselect={false}
              label={t('rules.ownership.whenUnavailable')}
              data={OWNER_UNAVAILABLE_POLICIES.map((p) => ({ value: p, label: t(`rules.ownership.${p}`) }))}
              value={definition.ownership.whenOwnerUnavailable}
              onChange={(v) => v && onChange({ ...definition, ownership: { ...definition.ownership, whenOwnerUnavailable: v as OwnerUnavailablePolicy } })}
            />
          </Group>
          {ownershipIssues.map((i) => <Text key={i.path + i.code} size="xs" c="red">{issueText(t, i)}</Text>)}
        </Stack>
      </Paper>

      {rules.length === 0 && <Text c="dimmed" size="sm">{t('rules.rule.empty')}</Text>}
      {rules.map((rule, index) => (
        <RuleCard
          key={cardKeys[index]}
          defaultOpen={cardKeys[index] === added}
          rule={rule}
          index={index}
          count={rules.length}
          onChange={(next) => setRules(replaceAt(rules, index, next))}
          onMove={(to) => edit(moveItem(rules, index, to), moveItem(cardKeys, index, to))}
          onDuplicate={() => {
            const key = nextKey();
            setAdded(key);
            edit(duplicateRule(rules, index, t('rules.rule.copySuffix')), [...cardKeys.slice(0, index + 1), key, ...cardKeys.slice(index + 1)]);
          }}
          onRemove={() => edit(removeAt(rules, index), removeAt(cardKeys, index))}
          drag={{
            over: over === index && dragging !== null && dragging !== index,
            onDragStart: (e) => {
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(index));
              setDragging(index);
            },
            onDragOver: (e) => {
              if (dragging === null) return;
              e.preventDefault();
              setOver(index);
            },
            onDrop: (e) => {
              e.preventDefault();
              if (dragging !== null) edit(moveItem(rules, dragging, index), moveItem(cardKeys, dragging, index));
              setDragging(null);
              setOver(null);
            },
            onDragEnd: () => {
              setDragging(null);
              setOver(null);
            },
          }}
        />
      ))}
      {!readOnly && (
        <Button variant="light" w="fit-content" onClick={() => {
            const key = nextKey();
            setAdded(key);
            edit([...rules, newRule(rules, t('rules.rule.newName'))], [...cardKeys, key]);
          }}>+ {t('rules.actions.addRule')}</Button>
      )}

      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Title order={5}>{t('rules.fallback.title')}</Title>
          <Text size="xs" c="dimmed">{t('rules.fallback.hint')}</Text>
          <Group gap="sm" align="flex-end">
            <Select
              size="xs"
              w={200}
              disabled={readOnly}
              allowDeselect={false}
              aria-label={t('rules.fallback.title')}
              data={[{ value: 'pool', label: t('rules.fallback.pool') }, { value: 'manager', label: t('rules.fallback.manager') }]}
              value={definition.fallback.kind}
              onChange={(v) => onChange({ ...definition, fallback: changeFallback(v === 'manager' ? 'manager' : 'pool', managers[0]?.id ?? '') })}
            />
            {definition.fallback.kind === 'manager' && (
              <Select
                size="xs"
                w={260}
                searchable
                disabled={readOnly}
                aria-label={t('rules.fallback.manager')}
                data={managers.map((m) => ({ value: m.id, label: m.name }))}
                value={definition.fallback.managerId}
                onChange={(v) => v && onChange({ ...definition, fallback: { kind: 'manager', managerId: v } })}
              />
            )}
          </Group>
          {fallbackIssues.map((i) => <Text key={i.path + i.code} size="xs" c="red">{issueText(t, i)}</Text>)}
        </Stack>
      </Paper>
    </Stack>
  );
}

let keyCounter = 0;
const nextKey = (): string => `rule-card-${++keyCounter}`;
