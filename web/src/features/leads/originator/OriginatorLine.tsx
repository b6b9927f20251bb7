import { Button, Group, Modal, Text } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadWithDecision, SessionUser } from '@/api/types';
import { useManagers } from '../leads-api';
import { useSetLeadOriginator } from '../originator-api';
import { ChangePersonForm } from './ChangePersonForm';
import { correctsOriginators, nameableManagers } from './nameable-managers';

/** «Источник клиента · Привёл: Анна Смирнова» on the lead card; a head or an admin corrects it with a reason. */
export function OriginatorLine({ leadId, originator, user }: { leadId: string; originator: LeadWithDecision['originator']; user: SessionUser }) {
  const { t } = useTranslation();
  const corrects = correctsOriginators(user);
  const [open, setOpen] = useState(false);
  const managers = useManagers();
  const save = useSetLeadOriginator(leadId);
  if (!originator && !corrects) return null;
  return (
    <Group gap={6} wrap="nowrap" data-testid="lead-originator">
      <Text size="sm" c="dimmed" title={t('originator.card.label')}>
        {originator ? t('originator.card.broughtBy', { name: originator.name }) : t('originator.card.nobody')}
      </Text>
      {corrects && (
        <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} data-testid="change-originator">{t('originator.card.change')}</Button>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('originator.change.leadTitle')} centered>
        {open && (
          <ChangePersonForm
            label={t('originator.change.manager')}
            initial={originator?.id ?? null}
            options={nameableManagers(user, managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
            allowNobody
            submitLabel={t('originator.change.submit')}
            pending={save.isPending}
            error={save.error}
            onSave={(change) =>
              save.mutate(change, {
                onSuccess: (answer) => {
                  setOpen(false);
                  toasts.show({ color: 'teal', message: answer.originator ? t('originator.change.done', { name: answer.originator.name }) : t('originator.change.doneNobody') });
                },
              })
            }
          />
        )}
      </Modal>
    </Group>
  );
}
