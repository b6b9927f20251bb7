import { Badge, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '@/features/session/use-session';
import { useFormat } from '@/ui/format';
import { useDealsOfLead, useManagers, useUpdateDeal } from './leads-api';
import { DealPeople } from './originator/DealPeople';

const CONTROL_POINTS = ['presentation', 'proposal', 'contract'] as const;

/** The deal a converted lead became: who brought it in and who leads it, its control points (presentation, proposal, contract). */
export function DealPanel({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const deals = useDealsOfLead(leadId, true);
  const update = useUpdateDeal(leadId);
  const user = useCurrentUser();
  const managers = useManagers();
  const nameOf = (id: string | null) => (id ? (managers.data?.find((m) => m.id === id)?.name ?? id) : null);
  if (!deals.data || deals.data.length === 0) return null;
  return (
    <Paper withBorder p="md" data-testid="deal-panel">
      <Title order={5} mb="xs">{t('deal.title')}</Title>
      {deals.data.map((deal) => (
        <Stack key={deal.id} gap={6}>
          <Group justify="space-between">
            <Text fw={500}>{deal.title}</Text>
            <Badge variant="light">{t(`deal.stages.${deal.stage as 'open'}`)}</Badge>
          </Group>
          <Text size="sm">{format.money(deal.amount, deal.currency ?? 'RUB')}</Text>
          <DealPeople leadId={leadId} deal={deal} user={user} />
          <Text size="sm" c="dimmed">{t('deal.controlPoints')}</Text>
          {CONTROL_POINTS.map((point) => {
            const reached = deal.controlPoints.find((p) => p.key === point)?.at ?? null;
            // Who reached it: the bonus weight of the point is theirs.
            const by = nameOf(deal.controlPoints.find((p) => p.key === point)?.by ?? null);
            return (
              <Checkbox
                key={point}
                label={reached ? (by ? t('bonus.reachedBy', { point: t(`deal.points.${point}`), date: format.date(reached), who: by }) : `${t(`deal.points.${point}`)} — ${format.date(reached)}`) : t(`deal.points.${point}`)}
                checked={reached !== null}
                disabled={update.isPending || deal.closedAt !== null}
                onChange={(e) => update.mutate({ dealId: deal.id, controlPoints: { [point]: e.currentTarget.checked ? new Date().toISOString() : null } })}
              />
            );
          })}
        </Stack>
      ))}
    </Paper>
  );
}
