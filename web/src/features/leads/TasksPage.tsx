import { Anchor, Checkbox, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '@/features/session/use-session';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { PageLoader } from '@/ui/PageLoader';
import { useChangeTask, useTasks } from './leads-api';

/** The call list: whom to call, when, with which offer; overdue first. */
export function TasksPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [due, setDue] = useState<'today' | 'overdue' | 'all'>('today');
  const tasks = useTasks({ due, done: 'false' });
  const change = useChangeTask('');
  // A head's list is the team's: say whose call each one is.
  const showAssignee = useCurrentUser().role !== 'manager';

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>{t('nav.tasks')}</Title>
        <SegmentedControl value={due} onChange={(v) => setDue(v as typeof due)} data={[{ value: 'today', label: t('tasks.today') }, { value: 'overdue', label: t('tasks.overdue') }, { value: 'all', label: t('tasks.all') }]} />
      </Group>
      {tasks.isPending && <PageLoader />}
      {tasks.isError && <ErrorState error={tasks.error} />}
      {tasks.data && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th>{t('tasks.when')}</Table.Th>
                  <Table.Th>{t('tasks.whom')}</Table.Th>
                  <Table.Th>{t('tasks.what')}</Table.Th>
                  <Table.Th>{t('tasks.offer')}</Table.Th>
                  {showAssignee && <Table.Th>{t('tasks.assignee')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tasks.data.items.map((task) => (
                  <Table.Tr key={task.id}>
                    <Table.Td><Checkbox aria-label={`${t('tasks.markDone')}: ${task.title}`} checked={false} onChange={() => change.mutate({ taskId: task.id, done: true })} /></Table.Td>
                    <Table.Td><Text size="sm" c={task.overdue ? 'red' : undefined}>{format.dateTime(task.dueAt)}</Text></Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/leads/${task.leadId}`} size="sm">{task.lead.name ?? task.lead.companyName ?? task.lead.phone ?? '—'}</Anchor>
                      {task.lead.phone && <Text size="xs"><Anchor href={`tel:${task.lead.phone}`}>{task.lead.phone}</Anchor></Text>}
                    </Table.Td>
                    <Table.Td><Text size="sm">{task.title}</Text></Table.Td>
                    <Table.Td><Text size="sm">{task.offer ?? ''}</Text></Table.Td>
                    {showAssignee && <Table.Td><Text size="sm">{task.assigneeName ?? '—'}</Text></Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {tasks.data.items.length === 0 && <Text c="dimmed" p="md">{t('tasks.empty')}</Text>}
        </Paper>
      )}
    </Stack>
  );
}
