import { Button, Group, Modal, Text } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '@/api/types';
import { useManagers } from '../leads-api';
import { useHandOverDeal, useSetDealOriginator } from '../originator-api';
import { ChangePersonForm } from './ChangePersonForm';
import { correctsOriginators, nameableManagers } from './nameable-managers';

interface DealPeopleDeal {
  id: string;
  originatorId: string | null;
  ownerId: string | null;
  closedAt: string | null;
}

/**
 * Who brought the deal in and who leads it to closing, on the deal panel: a head or an admin
 * corrects «Привёл»; the owner, the head or an admin hands an open deal to a colleague.
 */
export function DealPeople({ leadId, deal, user }: { leadId: string; deal: DealPeopleDeal; user: SessionUser }) {
  const { t } = useTranslation();
  const managers = useManagers();
  const setOriginator = useSetDealOriginator(leadId);
  const handOver = useHandOverDeal(leadId);
  const [dialog, setDialog] = useState<'originator' | 'owner' | null>(null);
  const name = (id: string | null) => (id ? (managers.data?.find((m) => m.id === id)?.name ?? id) : t('originator.deal.nobody'));
  const corrects = correctsOriginators(user);
  const mayHand = deal.closedAt === null && (user.role === 'admin' || user.role === 'head' || (user.managerId !== null && user.managerId === deal.ownerId));
  // A manager hands the deal to a colleague of the own team; a head within the team; an admin to anyone.
  const teamOfOwner = managers.data?.find((m) => m.id === deal.ownerId)?.teamId ?? user.teamId;
  const recipients = (managers.data ?? []).filter((m) => m.id !== deal.ownerId && (user.role === 'admin' || (teamOfOwner !== null && m.teamId === teamOfOwner)));

  return (
    <>
      <Group gap="lg" data-testid="deal-people">
        <div>
          <Text size="xs" c="dimmed">{t('originator.deal.broughtBy')}</Text>
          <Text size="sm" data-testid="deal-originator">{name(deal.originatorId)}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">{t('originator.deal.owner')}</Text>
          <Text size="sm" data-testid="deal-owner">{name(deal.ownerId)}</Text>
        </div>
      </Group>
      {(corrects || mayHand) && (
        <Group gap="xs">
          {corrects && <Button size="compact-xs" variant="light" onClick={() => setDialog('originator')}>{t('originator.deal.changeOriginator')}</Button>}
          {mayHand && <Button size="compact-xs" variant="light" onClick={() => setDialog('owner')} data-testid="hand-over-deal">{t('originator.deal.handOver')}</Button>}
        </Group>
      )}
      <Modal opened={dialog !== null} onClose={() => setDialog(null)} title={dialog === 'owner' ? t('originator.deal.handOverTitle') : t('originator.change.dealTitle')} centered>
        {dialog === 'originator' && (
          <ChangePersonForm
            label={t('originator.change.manager')}
            initial={deal.originatorId}
            options={nameableManagers(user, managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
            allowNobody
            submitLabel={t('originator.change.submit')}
            pending={setOriginator.isPending}
            error={setOriginator.error}
            onSave={(change) =>
              setOriginator.mutate(
                { dealId: deal.id, ...change },
                {
                  onSuccess: (answer) => {
                    setDialog(null);
                    toasts.show({ color: 'teal', message: answer.originatorId ? t('originator.change.done', { name: name(answer.originatorId) }) : t('originator.change.doneNobody') });
                  },
                },
              )
            }
          />
        )}
        {dialog === 'owner' && (
          <ChangePersonForm
            label={t('originator.deal.recipient')}
            hint={t('originator.deal.handOverHint')}
            initial={null}
            options={recipients.map((m) => ({ value: m.id, label: m.name }))}
            allowNobody={false}
            submitLabel={t('originator.deal.submitHandOver')}
            pending={handOver.isPending}
            error={handOver.error}
            onSave={(change) =>
              change.managerId !== null &&
              handOver.mutate(
                { dealId: deal.id, managerId: change.managerId, reason: change.reason },
                {
                  onSuccess: (answer) => {
                    setDialog(null);
                    toasts.show({ color: 'teal', message: t('originator.deal.handedOver', { name: name(answer.ownerId) }) });
                  },
                },
              )
            }
          />
        )}
      </Modal>
    </>
  );
}
