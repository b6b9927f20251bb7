import { Card, Group, Stack, Text } from '@mantine/core';
import { memo } from 'react';
import { Link } from 'react-router';
import type { LeadWithDecision } from '@/api/types';
import { useFormat } from '@/ui/format';
import { SlaBadge } from './SlaBadge';

/** One lead on the board: who, from where, how much, and its SLA clock. Fixed height so live updates never shift the layout. */
export const LeadCardSummary = memo(function LeadCardSummary({ item, now, showOwner }: { item: LeadWithDecision; now: number; showOwner: boolean }) {
  const format = useFormat();
  const { lead, owner } = item;
  const title = lead.name ?? lead.companyName ?? lead.phone ?? lead.email ?? lead.id.slice(0, 8);
  return (
    <Card withBorder padding="xs" radius="sm" component={Link} to={`/leads/${lead.id}`} data-testid="lead-card" data-lead-id={lead.id} h={92} style={{ textDecoration: 'none', color: 'inherit' }}>
      <Stack gap={2}>
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text size="sm" fw={600} truncate>{title}</Text>
          <SlaBadge lead={lead} now={now} size="xs" />
        </Group>
        <Text size="xs" c="dimmed" truncate>{[lead.companyName !== title ? lead.companyName : null, lead.region].filter(Boolean).join(' · ') || '\u00a0'}</Text>
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text size="xs" c="dimmed" truncate>{lead.source ?? '—'}{showOwner && owner ? ` · ${owner.name}` : ''}</Text>
          <Text size="xs" fw={500}>{lead.dealValue !== null ? format.money(lead.dealValue) : ''}</Text>
        </Group>
      </Stack>
    </Card>
  );
});
