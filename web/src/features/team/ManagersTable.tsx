import { Badge, Button, Group, Progress, Table, Text, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '@/api/types';
import { useFormat } from '@/ui/format';

export type TeamBoard = ResponseOf<'/api/v1/teams/{id}/board', 'get'>;
export type BoardManager = TeamBoard['managers'][number];

const AVAILABILITY_COLOR: Record<BoardManager['availability'], string> = { available: 'teal', off_hours: 'gray', absent: 'violet', paused: 'orange', inactive: 'dark' };

function availabilityText(t: TFunction, m: BoardManager, date: (iso: string) => string): string {
  switch (m.availability) {
    case 'available':
      return t('team.availability.available');
    case 'off_hours':
      return t('team.availability.offHours');
    case 'absent':
      return m.absentUntil ? t('team.availability.absentUntil', { until: date(m.absentUntil) }) : t('team.availability.absent');
    case 'paused':
      return t('team.availability.paused');
    case 'inactive':
      return t('team.availability.inactive');
  }
}

/** Every manager of the team: availability in their own zone, load against caps, SLA breaches. */
export function ManagersTable({ board, onEdit }: { board: TeamBoard; onEdit(managerId: string): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing={6} highlightOnHover data-testid="team-managers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('team.manager')}</Table.Th>
            <Table.Th>{t('team.now')}</Table.Th>
            <Table.Th>{t('team.localTime')}</Table.Th>
            <Table.Th w={170}>{t('team.openVsCap')}</Table.Th>
            <Table.Th>{t('team.todayVsCap')}</Table.Th>
            <Table.Th>{t('team.breaches')}</Table.Th>
            <Table.Th>{t('team.weight')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {board.managers.map((m) => {
            const load = m.maxOpen ? Math.min(100, (m.openLeads / m.maxOpen) * 100) : 0;
            return (
              <Table.Tr key={m.id} data-testid="team-manager" data-manager-id={m.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>{m.name}</Text>
                  <Text size="xs" c="dimmed" truncate maw={220}>{[...m.regions, ...m.skills].join(', ')}</Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Tooltip disabled={!m.nextChange} label={m.nextChange ? t('team.nextChange', { at: format.dateTime(m.nextChange.at, m.timeZone), what: t(`team.availability.${m.nextChange.availability === 'off_hours' ? 'offHours' : m.nextChange.availability}`) }) : ''}>
                    <Badge variant="light" color={AVAILABILITY_COLOR[m.availability]} styles={{ label: { overflow: 'visible' } }}>{availabilityText(t, m, format.date)}</Badge>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{format.time(m.localTime, m.timeZone)}</Text>
                  <Text size="xs" c="dimmed">{m.timeZone}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" miw={64} style={{ whiteSpace: 'nowrap' }}>{m.openLeads}{m.maxOpen !== null ? ` / ${m.maxOpen}` : ''}</Text>
                    {m.maxOpen !== null && <Progress value={load} color={load >= 100 ? 'red' : load > 80 ? 'orange' : 'blue'} w={90} aria-label={t('team.openVsCap')} />}
                  </Group>
                </Table.Td>
                <Table.Td><Text size="sm" c={m.maxPerDay !== null && m.assignedToday >= m.maxPerDay ? 'red' : undefined}>{m.assignedToday}{m.maxPerDay !== null ? ` / ${m.maxPerDay}` : ''}</Text></Table.Td>
                <Table.Td>{m.slaBreachedOpen > 0 ? <Badge color="red">{m.slaBreachedOpen}</Badge> : <Text size="sm" c="dimmed">0</Text>}</Table.Td>
                <Table.Td><Text size="sm">{m.weight}</Text></Table.Td>
                <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => onEdit(m.id)}>{t('team.settings')}</Button></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
