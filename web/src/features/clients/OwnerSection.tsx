import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@/ui/format';
import type { ClientKind, OwnerHistoryItem } from './clients-api';
import { OwnerDialog } from './OwnerDialog';

/** The owner now, the owners before (who set each and why), and the hand-over for those who may change it. */
export function OwnerSection({ kind, id, owner, history, canEdit, holdingOwner }: {
  kind: ClientKind;
  id: string;
  owner: { id: string; name: string } | null;
  history: OwnerHistoryItem[];
  canEdit: boolean;
  holdingOwner?: { id: string; name: string } | null | undefined;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{t('clients.card.owner')}</Title>
          {canEdit && <Button size="xs" variant="light" onClick={() => setOpen(true)}>{t('clients.card.changeOwner')}</Button>}
        </Group>
        <Text fw={600} data-testid="client-owner">{owner?.name ?? t('clients.nobody')}</Text>
        {holdingOwner && <Text size="xs" c="dimmed">{t('clients.card.holdingOwner', { name: holdingOwner.name })}</Text>}
        {history.length > 0 && (
          <>
            <Text size="sm" c="dimmed" mt="xs">{t('clients.card.history')}</Text>
            <Stack gap={6} data-testid="owner-history">
              {history.map((h) => (
                <div key={h.id}>
                  <Text size="sm">{t('clients.card.historyEntry', { owner: h.owner?.name ?? t('clients.nobody'), date: format.date(h.at) })}</Text>
                  <Text size="xs" c="dimmed">
                    {[h.previousOwner ? t('clients.card.historyFrom', { previous: h.previousOwner.name }) : null, t('clients.card.historyBy', { actor: h.actorName }), h.reason].filter(Boolean).join(' · ')}
                  </Text>
                </div>
              ))}
            </Stack>
          </>
        )}
      </Stack>
      {open && <OwnerDialog kind={kind} id={id} ownerId={owner?.id ?? null} opened onClose={() => setOpen(false)} />}
    </Card>
  );
}
