import { List, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { describeCondition, describeFallback, describeTarget, type Names } from './describe-rules';
import { useRuleEditor } from './rule-editor-context';
import type { Rule, RuleSetDefinition } from './rule-model';
import { diffRuleSets, type RulePart, type RuleSetChange } from './rule-set-diff';

/** A readable list of what one version changes against another. */
export function RuleSetDiffView({ before, after }: { before: RuleSetDefinition; after: RuleSetDefinition }) {
  const { t } = useTranslation();
  const { names } = useRuleEditor();
  const changes = diffRuleSets(before, after);
  if (changes.length === 0) return <Text size="sm" c="dimmed">{t('rules.history.same')}</Text>;
  return (
    <List spacing="xs" data-testid="rule-set-diff">
      {changes.map((change, i) => (
        <List.Item key={i}>
          <ChangeLine change={change} t={t} names={names} />
        </List.Item>
      ))}
    </List>
  );
}

function ChangeLine({ change, t, names }: { change: RuleSetChange; t: TFunction; names: Names }) {
  switch (change.kind) {
    case 'ownership': {
      const text = (o: RuleSetDefinition['ownership']) => (o.enabled ? t(`rules.ownership.${o.whenOwnerUnavailable}`) : t('rules.diff.ownershipOff'));
      return <Text size="sm">{t('rules.diff.ownership', { before: text(change.before), after: text(change.after) })}</Text>;
    }
    case 'fallback':
      return <Text size="sm">{t('rules.diff.fallback', { before: describeFallback(t, change.before, names), after: describeFallback(t, change.after, names) })}</Text>;
    case 'added':
      return (
        <Stack gap={0}>
          <Text size="sm" c="green.8">{t('rules.diff.added', { position: change.position + 1, name: change.rule.name })}</Text>
          <Text size="xs" c="dimmed">{describeCondition(t, change.rule.when)} → {describeTarget(t, change.rule.target, names)}</Text>
        </Stack>
      );
    case 'removed':
      return <Text size="sm" c="red.8">{t('rules.diff.removed', { name: change.rule.name })}</Text>;
    case 'moved':
      return <Text size="sm">{t('rules.diff.moved', { name: change.rule.name, from: change.from + 1, to: change.to + 1 })}</Text>;
    case 'changed':
      return (
        <Stack gap={0}>
          <Text size="sm">{t('rules.diff.changed', { name: change.before.name })}</Text>
          {change.parts.map((part) => (
            <Text key={part} size="xs">
              <Text span fw={600} size="xs">{t(`rules.diff.part.${part}`)}: </Text>
              <Text span c="red.8" size="xs" td="line-through">{partText(t, change.before, part, names)}</Text>
              {' → '}
              <Text span c="green.8" size="xs">{partText(t, change.rule, part, names)}</Text>
            </Text>
          ))}
        </Stack>
      );
  }
}

function partText(t: TFunction, rule: Rule, part: RulePart, names: Names): string {
  switch (part) {
    case 'name':
      return rule.name;
    case 'enabled':
      return rule.enabled === false ? t('rules.diff.off') : t('rules.diff.on');
    case 'when':
      return describeCondition(t, rule.when);
    case 'target':
      return describeTarget(t, rule.target, names);
    case 'onNoCandidate':
      return t(`rules.rule.${rule.onNoCandidate ?? 'next_rule'}`);
  }
}
