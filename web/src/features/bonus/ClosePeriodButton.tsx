import { Button, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '@/ui/FormError';
import { useFormat } from '@/ui/format';
import { useClosePeriod } from './bonus-api';
import { monthLabel } from './bonus-month';

/** «Закрыть период»: asks first, saying the month's figures will be frozen for good. */
export function ClosePeriodButton({ period, teamId, teamName, endsAt }: { period: string; teamId: string | undefined; teamName: string; endsAt: string }) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const [confirming, setConfirming] = useState(false);
  const close = useClosePeriod();
  const over = Date.now() >= Date.parse(endsAt);
  const month = monthLabel(period, locale, false);
  const button = (
    <Button color="teal" disabled={!over} onClick={() => { close.reset(); setConfirming(true); }}>
      {t('bonus.close')}
    </Button>
  );
  return (
    <>
      {over ? button : <Tooltip label={t('bonus.closeNotOver')}><span>{button}</span></Tooltip>}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('bonus.closeTitle', { month, team: teamName })} centered>
        <Stack gap="md">
          <Text size="sm">{t('bonus.closeText')}</Text>
          <FormError error={close.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            <Button
              color="teal"
              loading={close.isPending}
              onClick={() =>
                close.mutate(
                  { period, ...(teamId ? { teamId } : {}) },
                  {
                    onSuccess: () => {
                      setConfirming(false);
                      toasts.show({ color: 'teal', message: t('bonus.closedToast') });
                    },
                  },
                )
              }
            >
              {t('bonus.closeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
