import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LeadWithDecision } from '@/api/types';
import { useFormat } from '@/ui/format';
import { stageLabel } from './labels';
import { SlaBadge } from './SlaBadge';

export function LeadTable({ items, now, showOwner }: { items: LeadWithDecision[]; now: number; showOwner: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="lead-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('lead.client')}</Table.Th>
            <Table.Th>{t('lead.company')}</Table.Th>
            <Table.Th>{t('lead.status')}</Table.Th>
            <Table.Th>{t('lead.source')}</Table.Th>
            {showOwner && <Table.Th>{t('lead.owner')}</Table.Th>}
            <Table.Th>{t('lead.sla')}</Table.Th>
            <Table.Th>{t('lead.createdAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map(({ lead, owner }) => (
            <Table.Tr key={lead.id} data-testid="lead-row" data-lead-id={lead.id}>
              <Table.Td>
                <Anchor component={Link} to={`/leads/${lead.id}`} size="sm" fw={500}>{lead.name ?? lead.phone ?? lead.email ?? lead.id.slice(0, 8)}</Anchor>
                <Text size="xs" c="dimmed">{lead.phone ?? lead.email ?? ''}</Text>
              </Table.Td>
              <Table.Td><Text size="sm">{lead.companyName ?? '—'}</Text></Table.Td>
              <Table.Td><Text size="sm">{stageLabel(t, lead.status)}</Text></Table.Td>
              <Table.Td><Text size="sm">{lead.source ?? '—'}</Text></Table.Td>
              {showOwner && <Table.Td><Text size="sm">{owner?.name ?? t('lead.inPool')}</Text></Table.Td>}
              <Table.Td><SlaBadge lead={lead} now={now} size="xs" /></Table.Td>
              <Table.Td><Text size="sm">{format.dateTime(lead.createdAt)}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
