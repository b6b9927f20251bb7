import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Decision } from '@/api/types';
import { hasRole, useCurrentUser } from '@/features/session/use-session';
import { useFormat } from '@/ui/format';
import { explainDecision, strategyLabel } from './decision-explainer';
import { useManagers } from './leads-api';

/** "Why me": the rule, the strategy, who else was considered and why they were left out. */
export function DecisionPanel({ decision, mine }: { decision: Decision; mine: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const managers = useManagers();
  // Heads and the admin can open the rules that made the decision; managers cannot read rules.
  const canReadRules = hasRole(useCurrentUser(), 'head', 'admin');
  const names = (id: string) => managers.data?.find((m) => m.id === id)?.name ?? t('decision.unknownManager');
  const explained = explainDecision(t, decision, names, format.date);

  return (
    <Paper withBorder p="md" data-testid="decision-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>{mine ? t('decision.title') : t('decision.titleOther')}</Title>
          <Group gap={4}>
            {decision.strategy && <Badge variant="light">{strategyLabel(t, decision.strategy)}</Badge>}
            {decision.ruleSetVersion !== null &&
              (canReadRules ? (
                <Badge component={Link} to={`/settings/rules/${decision.ruleSetVersion}`} variant="outline" color="blue" style={{ cursor: 'pointer' }} data-testid="decision-rules-link">
                  {t('decision.version', { version: decision.ruleSetVersion })}
                </Badge>
              ) : (
                <Badge variant="outline" color="gray">{t('decision.version', { version: decision.ruleSetVersion })}</Badge>
              ))}
          </Group>
        </Group>
        <Text fw={500} data-testid="decision-headline">{explained.headline}</Text>
        {/* The server tells the decision in the reader's language from the facts the trace keeps. */}
        {decision.summaryText && <Text size="sm" data-testid="decision-summary">{decision.summaryText}</Text>}
        {explained.winner && <Text size="sm">{explained.winner}</Text>}
        {explained.ownership && <Text size="sm" c="dimmed">{explained.ownership}</Text>}
        {explained.steps.filter((s) => s.matched).map((step, i) => (
          <Stack key={i} gap={4}>
            <Text size="sm" fw={600}>{t('decision.rule', { rule: step.ruleName })} — {step.outcome}</Text>
            {step.candidates.length > 0 && (
              <Text size="sm">
                {t('decision.considered')}{' '}
                {step.candidates.map((c, j) => (
                  <span key={c.managerId}>
                    {j > 0 ? ', ' : ''}
                    <Text span fw={c.won ? 700 : 400}>{c.name}</Text>
                  </span>
                ))}
              </Text>
            )}
            {step.excluded.length > 0 && (
              <>
                <Text size="sm" c="dimmed">{t('decision.excluded')}</Text>
                <List size="sm" spacing={2} data-testid="decision-exclusions">
                  {step.excluded.map((e) => (
                    <List.Item key={e.managerId}>{e.name}: {e.reason}</List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        ))}
        {explained.steps.some((s) => !s.matched) && (
          <Text size="xs" c="dimmed">{t('decision.notMatched', { rules: explained.steps.filter((s) => !s.matched).map((s) => s.ruleName).join(', ') })}</Text>
        )}
        {explained.fallback && <Text size="sm">{explained.fallback}</Text>}
        <Text size="xs" c="dimmed">{t('decision.decidedAt', { at: format.dateTime(decision.decidedAt) })}</Text>
      </Stack>
    </Paper>
  );
}
