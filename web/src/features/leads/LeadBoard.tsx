import { Badge, Group, Paper, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadWithDecision } from '@/api/types';
import { stageLabel } from './labels';
import classes from './LeadBoard.module.css';
import { BoardColumn } from './BoardColumn';
import { useOwnerCalendars } from './use-owner-calendars';

export interface BoardStage {
  key: string;
  label: string;
}

/** Open leads in columns by pipeline stage. */
export function LeadBoard({ stages, items, now, showOwner }: { stages: BoardStage[]; items: LeadWithDecision[]; now: number; showOwner: boolean }) {
  const { t } = useTranslation();
  const calendars = useOwnerCalendars(useMemo(() => items.map((i) => i.lead.ownerId), [items]));
  const byStage = useMemo(() => {
    const groups = new Map<string, LeadWithDecision[]>(stages.map((s) => [s.key, []]));
    for (const item of items) groups.get(item.lead.status)?.push(item);
    // Within a stage the lead whose deadline comes first is on top; then the newest.
    for (const column of groups.values()) column.sort(byDeadlineThenNewest);
    return groups;
  }, [stages, items]);

  return (
    // A plain scrolling box: a measured scroll area re-reads the size of every card when the board changes.
    <div className={classes.board} data-testid="lead-board">
        {stages.map((stage) => {
          const column = byStage.get(stage.key) ?? [];
          return (
            <Paper key={stage.key} withBorder p="xs" className={classes.stage} bg="gray.1" data-testid={`board-column-${stage.key}`}>
              <Group justify="space-between" mb="xs">
                <Text fw={600} size="sm">{stageLabel(t, stage.key, stage.label)}</Text>
                <Badge variant="white" color="gray" data-board-count={column.length}>{column.length}</Badge>
              </Group>
              {column.length > 0 ? <BoardColumn items={column} now={now} showOwner={showOwner} calendars={calendars} /> : <Text size="xs" c="dimmed" ta="center" py="md">{t('leads.emptyColumn')}</Text>}
            </Paper>
          );
        })}
    </div>
  );
}

function byDeadlineThenNewest(a: LeadWithDecision, b: LeadWithDecision): number {
  const dueA = a.lead.lifecycle.firstContactAt === null ? a.lead.sla?.dueAt : null;
  const dueB = b.lead.lifecycle.firstContactAt === null ? b.lead.sla?.dueAt : null;
  if (dueA && dueB) return dueA < dueB ? -1 : dueA > dueB ? 1 : 0;
  if (dueA) return -1;
  if (dueB) return 1;
  return a.lead.createdAt < b.lead.createdAt ? 1 : a.lead.createdAt > b.lead.createdAt ? -1 : 0;
}
