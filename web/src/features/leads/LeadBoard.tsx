import { Badge, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadWithDecision } from '@/api/types';
import { stageLabel } from './labels';
import { LeadCardSummary } from './LeadCardSummary';

export interface BoardStage {
  key: string;
  label: string;
}

/** Open leads in columns by pipeline stage. */
export function LeadBoard({ stages, items, now, showOwner }: { stages: BoardStage[]; items: LeadWithDecision[]; now: number; showOwner: boolean }) {
  const { t } = useTranslation();
  const byStage = useMemo(() => {
    const groups = new Map<string, LeadWithDecision[]>(stages.map((s) => [s.key, []]));
    for (const item of items) groups.get(item.lead.status)?.push(item);
    return groups;
  }, [stages, items]);

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Group align="flex-start" wrap="nowrap" gap="sm" data-testid="lead-board">
        {stages.map((stage) => {
          const column = byStage.get(stage.key) ?? [];
          return (
            <Paper key={stage.key} withBorder p="xs" w={270} miw={240} bg="gray.1" data-testid={`board-column-${stage.key}`}>
              <Group justify="space-between" mb="xs">
                <Text fw={600} size="sm">{stageLabel(t, stage.key, stage.label)}</Text>
                <Badge variant="white" color="gray">{column.length}</Badge>
              </Group>
              <Stack gap={6}>
                {column.map((item) => (
                  <LeadCardSummary key={item.lead.id} item={item} now={now} showOwner={showOwner} />
                ))}
                {column.length === 0 && <Text size="xs" c="dimmed" ta="center" py="md">{t('leads.emptyColumn')}</Text>}
              </Stack>
            </Paper>
          );
        })}
      </Group>
    </ScrollArea>
  );
}
