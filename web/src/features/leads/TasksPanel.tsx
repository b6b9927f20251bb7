import { Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import { useChangeTask, useTasks } from './leads-api';

/** The lead's open tasks from the call list; ticking one marks it done. */
export function TasksPanel({ leadId, canWork }: { leadId: string; canWork: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const tasks = useTasks({ due: 'all', done: 'false' });
  const change = useChangeTask(leadId);
  const mine = (tasks.data?.items ?? []).filter((task) => task.leadId === leadId);
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">{t('task.panel')}</Title>
      <Stack gap={6}>
        {mine.map((task) => (
          <Group key={task.id} justify="space-between" wrap="nowrap">
            <Checkbox
              label={task.title}
              disabled={!canWork || change.isPending}
              checked={false}
              onChange={() => change.mutate({ taskId: task.id, done: true })}
            />
            <Text size="xs" c={task.overdue ? 'red' : 'dimmed'}>{format.dateTime(task.dueAt)}</Text>
          </Group>
        ))}
        {mine.length === 0 && <Text size="sm" c="dimmed">{t('task.none')}</Text>}
      </Stack>
    </Paper>
  );
}
