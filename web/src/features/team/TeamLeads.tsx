import { Anchor, Button, Checkbox, Group, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { stageLabel } from '@/features/leads/labels';
import { useLeadList } from '@/features/leads/leads-api';
import { SlaBadge } from '@/features/leads/SlaBadge';
import { fieldError, FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { useNow } from '@/ui/use-now';
import type { BoardManager } from './ManagersTable';
import { useBulkReassign } from './team-api';

/** The team's open leads with their owners; pick one or many and hand them to a manager, with a reason. */
export function TeamLeads({ managers }: { managers: BoardManager[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const now = useNow();
  const [ownerFilter, setOwnerFilter] = useState<string | null>(null);
  const leads = useLeadList({ status: 'new,in_progress,qualified,proposal', limit: 200, decisions: 'false', ...(ownerFilter ? { ownerId: ownerFilter } : {}) });
  const reassign = useBulkReassign();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [recipient, setRecipient] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const items = leads.data?.items ?? [];
  const teamIds = new Set(managers.map((m) => m.id));
  const teamItems = items.filter((i) => i.lead.ownerId === null || teamIds.has(i.lead.ownerId));

  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t('team.leads')}</Title>
        <Select w={220} clearable placeholder={t('team.allManagers')} value={ownerFilter} onChange={(v) => { setOwnerFilter(v); setSelected(new Set()); }} data={managers.map((m) => ({ value: m.id, label: m.name }))} aria-label={t('team.manager')} />
      </Group>
      {selected.size > 0 && (
        <Group align="flex-end" mb="sm" gap="xs" data-testid="reassign-bar">
          <Text size="sm" fw={500}>{t('team.selected', { count: selected.size })}</Text>
          <Select label={t('team.reassignTo')} w={220} searchable value={recipient} onChange={setRecipient} data={managers.map((m) => ({ value: m.id, label: m.name }))} error={fieldError(reassign.error, 'toManagerId')} />
          <TextInput label={t('team.reassignReason')} w={260} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(reassign.error, 'reason')} />
          <Button
            disabled={!recipient || !reason.trim()}
            loading={reassign.isPending}
            onClick={() => recipient && reassign.mutate({ leadIds: [...selected], toManagerId: recipient, reason: reason.trim() }, { onSuccess: () => { setSelected(new Set()); setReason(''); } })}
          >
            {t('team.reassign')}
          </Button>
        </Group>
      )}
      <FormError error={reassign.error} fields={['toManagerId', 'reason']} />
      <Table.ScrollContainer minWidth={700}>
        <Table verticalSpacing={4} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={32} />
              <Table.Th>{t('lead.client')}</Table.Th>
              <Table.Th>{t('lead.owner')}</Table.Th>
              <Table.Th>{t('lead.status')}</Table.Th>
              <Table.Th>{t('lead.sla')}</Table.Th>
              <Table.Th>{t('lead.createdAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teamItems.map(({ lead, owner }) => (
              <Table.Tr key={lead.id}>
                <Table.Td><Checkbox aria-label={t('team.select')} checked={selected.has(lead.id)} onChange={() => toggle(lead.id)} /></Table.Td>
                <Table.Td><Anchor component={Link} to={`/leads/${lead.id}`} size="sm">{lead.name ?? lead.companyName ?? lead.phone ?? '—'}</Anchor></Table.Td>
                <Table.Td><Text size="sm">{owner?.name ?? t('lead.inPool')}</Text></Table.Td>
                <Table.Td><Text size="sm">{stageLabel(t, lead.status)}</Text></Table.Td>
                <Table.Td><SlaBadge lead={lead} now={now} size="xs" /></Table.Td>
                <Table.Td><Text size="sm">{format.dateTime(lead.createdAt)}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {teamItems.length === 0 && <Text c="dimmed" size="sm">{t('leads.empty')}</Text>}
    </Paper>
  );
}
