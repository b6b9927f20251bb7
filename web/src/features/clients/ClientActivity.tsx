import type { TFunction } from 'i18next';
import { Anchor, Badge, Stack, Table, Tabs, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { stageLabel } from '@/features/leads/labels';
import { ErrorState } from '@/ui/ErrorState';
import { useFormat } from '@/ui/format';
import { useClientDeals, useClientLeads, useClientTimeline, type ClientKind, type ClientTimelineItem } from './clients-api';

/** A client's leads, deals and history, as tabs of its card. */
export function ClientActivity({ kind, id }: { kind: ClientKind; id: string }) {
  const { t } = useTranslation();
  return (
    <Tabs defaultValue="leads" keepMounted={false}>
      <Tabs.List mb="sm">
        <Tabs.Tab value="leads">{t('clients.card.leads')}</Tabs.Tab>
        <Tabs.Tab value="deals">{t('clients.card.deals')}</Tabs.Tab>
        <Tabs.Tab value="timeline">{t('clients.card.timeline')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="leads"><ClientLeads kind={kind} id={id} /></Tabs.Panel>
      <Tabs.Panel value="deals"><ClientDeals kind={kind} id={id} /></Tabs.Panel>
      <Tabs.Panel value="timeline"><ClientTimeline kind={kind} id={id} /></Tabs.Panel>
    </Tabs>
  );
}

function ClientLeads({ kind, id }: { kind: ClientKind; id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const leads = useClientLeads(kind, id);
  if (leads.error) return <ErrorState error={leads.error} />;
  if (!leads.data) return null;
  return (
    <Stack gap="xs">
      {leads.data.items.length === 0 ? (
        <Text c="dimmed" size="sm">{t('clients.card.noLeads')}</Text>
      ) : (
        <Table verticalSpacing={6} data-testid="client-leads">
          <Table.Tbody>
            {leads.data.items.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td><Anchor component={Link} to={`/leads/${l.id}`} size="sm">{l.name ?? l.companyName ?? l.id}</Anchor></Table.Td>
                <Table.Td><Badge variant="light" size="sm">{stageLabel(t, l.status)}</Badge></Table.Td>
                <Table.Td><Text size="sm">{l.owner?.name ?? '—'}</Text></Table.Td>
                <Table.Td><Text size="sm" c="dimmed">{format.dateTime(l.createdAt)}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {leads.data.hidden > 0 && <Text size="xs" c="dimmed">{t('clients.card.hiddenLeads', { count: leads.data.hidden })}</Text>}
    </Stack>
  );
}

function ClientDeals({ kind, id }: { kind: ClientKind; id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const deals = useClientDeals(kind, id);
  if (deals.error) return <ErrorState error={deals.error} />;
  if (!deals.data) return null;
  return (
    <Stack gap="xs">
      {deals.data.items.length === 0 ? (
        <Text c="dimmed" size="sm">{t('clients.card.noDeals')}</Text>
      ) : (
        <Table verticalSpacing={6} data-testid="client-deals">
          <Table.Tbody>
            {deals.data.items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td><Anchor component={Link} to={`/leads/${d.leadId}`} size="sm">{d.title}</Anchor></Table.Td>
                <Table.Td><Badge variant="light" size="sm">{t(`deal.stages.${d.stage as 'open'}`)}</Badge></Table.Td>
                <Table.Td><Text size="sm">{format.money(d.amount, d.currency ?? 'RUB')}</Text></Table.Td>
                <Table.Td><Text size="sm">{d.owner?.name ?? '—'}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {deals.data.hidden > 0 && <Text size="xs" c="dimmed">{t('clients.card.hiddenDeals', { count: deals.data.hidden })}</Text>}
    </Stack>
  );
}

function ClientTimeline({ kind, id }: { kind: ClientKind; id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const items = useClientTimeline(kind, id);
  if (items.error) return <ErrorState error={items.error} />;
  if (!items.data) return null;
  if (items.data.length === 0) return <Text c="dimmed" size="sm">{t('clients.timeline.empty')}</Text>;
  return (
    <Timeline bulletSize={12} lineWidth={2} data-testid="client-timeline">
      {items.data.map((item) => (
        <Timeline.Item key={`${item.type}:${item.id}`} title={<Text size="sm" fw={500}>{timelineText(t, item)}</Text>}>
          {item.leadId && (
            <Anchor component={Link} to={`/leads/${item.leadId}`} size="xs">{item.leadName ?? item.leadId}</Anchor>
          )}
          {typeof item.data.reason === 'string' && <Text size="xs">{t('clients.timeline.reason', { reason: item.data.reason })}</Text>}
          <Text size="xs" c="dimmed">{format.dateTime(item.at)} · {item.actorName}</Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

type T = TFunction;

function timelineText(t: T, item: ClientTimelineItem): string {
  const data = item.data as { owner?: { name: string } | null; changed?: string[]; duplicateName?: string | null; to?: string; stage?: string };
  switch (item.type) {
    case 'owner.changed':
      return data.owner ? t('clients.timeline.ownerChanged', { owner: data.owner.name }) : t('clients.timeline.ownerRemoved');
    case 'company.created':
    case 'contact.created':
      return t('clients.timeline.created');
    case 'company.changed':
    case 'contact.changed':
      return t('clients.timeline.changed', { fields: (data.changed ?? []).map((f) => fieldLabel(t, f)).join(', ') });
    case 'company.merged':
    case 'contact.merged':
      return t('clients.timeline.merged', { name: data.duplicateName ?? '' });
    case 'lead.created':
      return t('clients.timeline.leadCreated');
    case 'lead.status_changed':
      return t('clients.timeline.leadStatus', { status: data.to ? stageLabel(t, data.to) : '' });
    case 'deal.updated':
      return data.stage ? `${t('clients.timeline.dealUpdated')} · ${t('clients.dealStage', { stage: t(`deal.stages.${data.stage as 'open'}`) })}` : t('clients.timeline.dealUpdated');
    default:
      return t('clients.timeline.other', { type: item.type });
  }
}

const FIELD_KEYS = { name: 'name', taxId: 'taxId', domain: 'domain', phones: 'phones', parentId: 'parent', size: 'size', industry: 'industry', region: 'region', note: 'note', emails: 'emails', companyId: 'company', position: 'position' } as const;

function fieldLabel(t: T, field: string): string {
  const key: (typeof FIELD_KEYS)[keyof typeof FIELD_KEYS] = FIELD_KEYS[field as keyof typeof FIELD_KEYS] ?? 'note';
  return String(t(`clients.fields.${key}`));
}
